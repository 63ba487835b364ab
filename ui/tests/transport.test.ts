// The live transport in the UI: the bar in Orchestration (play/pause/stop, position, loop,
// Space and Escape), the output picker (speakers or MIDI ports, hot-plug, remembered), the
// script following the music, "Play from here", a vanished port, and recording a leitmotif.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { forgetOrchestrations } from '../src/views/orchestration';
import { barAt, lineAt } from '../src/transport';
import { key, openEditor, q, qa, seedScript, settle, startWith, waitFor } from './helpers';
import { NO_MIDI } from './fakeLive';
import type { FakeBackend } from './fakeBackend';

beforeEach(() => void vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null));
afterEach(() => {
  forgetOrchestrations();
  vi.restoreAllMocks();
});

const SYNTH = { id: '128:0', name: 'FLUID Synth' };
const KEYS = { id: '24:0', name: 'USB Keyboard' };
const withPorts = (b: FakeBackend) => void (b.live.ports = { outputs: [SYNTH], inputs: [KEYS] });
const options = (root: ParentNode) => [...q<HTMLSelectElement>(root, 'output-picker').options].map((o) => o.textContent);

async function orchestration(seed: (b: FakeBackend) => void = () => {}) {
  const started = await startWith((b) => {
    seedScript(b, 'orchestration');
    seed(b);
  });
  await settle();
  return started;
}

describe('the position', () => {
  it('reads as bar and beat in the score’s time signature, and finds the line sounding', () => {
    const score = { ppq: 480, timeSignature: [3, 4] as [number, number] };
    expect(barAt(score, 0)).toEqual({ bar: 1, beat: 1 });
    expect(barAt(score, 480 * 4 + 10)).toEqual({ bar: 2, beat: 2 });
    const lines = [
      { elementId: 1, cue: 0, startTick: 0, endTick: 960 },
      { elementId: 2, cue: 0, startTick: 960, endTick: 960 }, // a note: takes no time
      { elementId: 3, cue: 0, startTick: 900, endTick: 2000 },
    ];
    expect(lineAt(lines, 100)?.elementId).toBe(1);
    expect(lineAt(lines, 960)?.elementId).toBe(3);
    expect(lineAt(lines, 5000)).toBeNull();
  });
});

describe('the output picker', () => {
  it('offers the speakers and says why there are no MIDI ports on a machine without MIDI', async () => {
    const { root } = await orchestration();
    expect(options(root)).toEqual(['Speakers (preview)']);
    const note = q(root, 'output-message');
    expect(note.hidden).toBe(false);
    expect(note.textContent).toBe(`${NO_MIDI} The speakers still work.`);
  });

  it('lists the ports, follows them as they come and go, and remembers the choice', async () => {
    const { root, backend } = await orchestration(withPorts);
    expect(options(root)).toEqual(['Speakers (preview)', 'FLUID Synth']);
    expect(q(root, 'output-message').hidden).toBe(true);

    const picker = q<HTMLSelectElement>(root, 'output-picker');
    picker.value = `port:${SYNTH.id}`;
    picker.dispatchEvent(new Event('change'));
    await settle();
    expect(backend.callsOf('live_output_choose')).toEqual([{ output: { kind: 'port', ...SYNTH } }]);
    expect(backend.settings.get('liveOutput')).toEqual({ kind: 'port', ...SYNTH });

    // A second synth is plugged in; then the chosen one is unplugged.
    await backend.live.plug({ outputs: [SYNTH, { id: '129:0', name: 'Juno' }], inputs: [] });
    await settle();
    expect(options(root)).toEqual(['Speakers (preview)', 'FLUID Synth', 'Juno']);
    await backend.live.plug({ outputs: [{ id: '129:0', name: 'Juno' }], inputs: [] });
    await settle();
    expect(options(root)).toEqual(['Speakers (preview)', 'Juno', 'FLUID Synth (not connected)']);
    expect(picker.value).toBe(`port:${SYNTH.id}`);
  });

  it('plays on the output just chosen, however long the port takes to connect', async () => {
    const { root, backend } = await orchestration(withPorts);
    backend.delays.set('live_output_choose', 40);
    const picker = q<HTMLSelectElement>(root, 'output-picker');
    picker.value = `port:${SYNTH.id}`;
    picker.dispatchEvent(new Event('change'));
    q(root, 'transport-play').click();
    await waitFor(() => q(root, 'transport').dataset['state'] === 'playing');
    expect(backend.live.played?.output).toEqual({ kind: 'port', ...SYNTH });
  });

  it('keeps the old output when the new one cannot connect, and says why', async () => {
    const { root, backend } = await orchestration((b) => {
      withPorts(b);
      b.live.speakers = false;
      b.live.state.output = { kind: 'port', ...SYNTH };
    });
    const picker = q<HTMLSelectElement>(root, 'output-picker');
    expect(picker.value).toBe(`port:${SYNTH.id}`);
    picker.value = 'speakers';
    picker.dispatchEvent(new Event('change'));
    await settle();
    expect(q(root, 'error-message').textContent).toContain('No audio output device');
    expect(picker.value).toBe(`port:${SYNTH.id}`);
    expect(backend.settings.has('liveOutput')).toBe(false);
  });
});

describe('the transport bar', () => {
  it('plays from the start, shows time, bar and cue as reports arrive, and marks the cue and the playhead', async () => {
    const { root, backend } = await orchestration();
    q(root, 'orchestration-generate').click();
    await settle();
    q(root, 'transport-play').click();
    await settle();
    expect(backend.callsOf('live_play')).toEqual([{ scriptId: 1, sessionId: null, start: { kind: 'seconds', seconds: 0 } }]);
    expect(q(root, 'transport').dataset['state']).toBe('playing');
    expect(q(root, 'transport-play').textContent).toContain('Pause');

    await backend.live.report({ kind: 'position', seconds: 13.5, tick: 12960, cue: '1M2' });
    await settle();
    expect(q(root, 'transport-time').textContent).toBe('0:13.5');
    expect(q(root, 'transport-bar').textContent).toBe('Bar 7 \u00B7 4');
    expect(q(root, 'transport-cue').textContent).toBe('1M2');
    expect(qa(root, 'cue-item').map((r) => r.classList.contains('playing'))).toEqual([false, true]);
    expect(q(root, 'pianoroll-canvas').dataset['playhead']).toBe('12960');

    await backend.live.report({ kind: 'ended' });
    await settle();
    expect(q(root, 'transport').dataset['state']).toBe('stopped');
    expect(q(root, 'pianoroll-canvas').dataset['playhead']).toBeUndefined();
  });

  it('Space pauses and resumes, Escape stops, and neither acts while typing', async () => {
    const { root, backend } = await orchestration();
    key(document.body, ' ');
    await settle();
    expect(backend.callsOf('live_play')).toHaveLength(1);
    key(document.body, ' ');
    await settle();
    key(document.body, ' ');
    await settle();
    const kinds = () => backend.callsOf('live_transport').map((c) => (c['command'] as { kind: string }).kind);
    expect(kinds()).toEqual(['pause', 'resume']);

    const input = document.createElement('input');
    root.appendChild(input);
    key(input, ' ');
    key(input, 'Escape');
    await settle();
    expect(kinds()).toEqual(['pause', 'resume']);
    key(document.body, 'Escape');
    await settle();
    expect(kinds()).toEqual(['pause', 'resume', 'stop']);
    expect(q(root, 'transport').dataset['state']).toBe('stopped');
  });

  it('plays from a cue, loops a cue, and sends panic and the clock toggle', async () => {
    const { root, backend } = await orchestration();
    q(root, 'orchestration-generate').click();
    await settle();
    qa(root, 'cue-play')[1]!.click();
    await settle();
    expect(backend.callsOf('live_play').map((c) => c['start'])).toEqual([{ kind: 'cue', name: '1M2' }]);
    // A selected cue is where Play starts.
    qa(root, 'cue-name')[0]!.click();
    await backend.live.report({ kind: 'stopped' });
    await settle();
    q(root, 'transport-play').click();
    await settle();
    expect(backend.callsOf('live_play').map((c) => c['start'])).toEqual([
      { kind: 'cue', name: '1M2' },
      { kind: 'cue', name: '1M1' },
    ]);

    const loop = q<HTMLSelectElement>(root, 'transport-loop');
    expect([...loop.options].map((o) => o.textContent)).toEqual(['No loop', '1M1', '1M2']);
    loop.value = '1M2';
    loop.dispatchEvent(new Event('change'));
    const clock = q<HTMLInputElement>(root, 'transport-clock');
    clock.checked = true;
    clock.dispatchEvent(new Event('change'));
    q(root, 'transport-panic').click();
    await settle();
    expect(backend.callsOf('live_transport').map((c) => c['command'])).toEqual([
      { kind: 'loop', cue: '1M2' },
      { kind: 'clock', on: true },
      { kind: 'panic' },
    ]);
    expect(backend.live.state.clock).toBe(true);
  });

  it('shows the message and returns to stopped when the port disappears mid-play', async () => {
    const { root, backend } = await orchestration();
    q(root, 'transport-play').click();
    await settle();
    await backend.live.report({ kind: 'failed', code: 'device_unavailable', message: 'The MIDI port FLUID Synth is gone (unplugged or closed); playback stopped.' });
    await settle();
    expect(q(root, 'error-banner').dataset['code']).toBe('device_unavailable');
    expect(q(root, 'error-message').textContent).toBe('The MIDI port FLUID Synth is gone (unplugged or closed); playback stopped.');
    expect(q(root, 'transport').dataset['state']).toBe('stopped');
    // Still responsive: Play starts again.
    q(root, 'transport-play').click();
    await settle();
    expect(backend.callsOf('live_play')).toHaveLength(2);
  });
});

describe('the script follows the music', () => {
  it('plays from a scene or a line, and highlights the line and scene that play', async () => {
    const { root, backend } = await startWith((b) => void seedScript(b, 'script'));
    const seeded = { a1: 0, d1: 0 };
    const elements = qa(root, 'element');
    seeded.a1 = Number(elements[0]!.dataset['elementId']);
    seeded.d1 = Number(elements[1]!.dataset['elementId']);
    elements[1]!.querySelector<HTMLButtonElement>('[data-testid="element-play"]')!.click();
    await settle();
    expect(backend.callsOf('live_play').map((c) => c['start'])).toEqual([{ kind: 'line', elementId: seeded.d1 }]);
    expect(backend.live.played?.fromSeconds).toBe(4);

    await backend.live.report({ kind: 'position', seconds: 1, tick: 960, cue: '1M1' });
    await settle();
    const playing = () => qa(root, 'element').filter((e) => e.classList.contains('playing')).map((e) => Number(e.dataset['elementId']));
    expect(playing()).toEqual([seeded.a1]);
    const scene = qa(root, 'scene-item').find((s) => s.classList.contains('playing'));
    expect(scene?.dataset['headingId']).toBe('1');
    await backend.live.report({ kind: 'position', seconds: 4.5, tick: 4320, cue: '1M1' });
    await settle();
    expect(playing()).toEqual([seeded.d1]);

    qa(root, 'scene-play')[1]!.click();
    await settle();
    expect(backend.callsOf('live_play').map((c) => c['start'])[1]).toEqual({ kind: 'scene', headingId: 2 });
    await backend.live.report({ kind: 'stopped' });
    await settle();
    expect(playing()).toEqual([]);
  });
});

describe('the Fountain editor follows the music', () => {
  it('highlights the line that plays, keeps it on that line while the writer types, and clears it on stop', async () => {
    const { root, backend } = await startWith((b) => void seedScript(b, 'script'));
    qa(root, 'element')[1]!.querySelector<HTMLButtonElement>('[data-testid="element-play"]')!.click();
    await settle();
    const view = await openEditor(root);
    const playing = () => [...root.querySelectorAll('.cm-line.cm-playing')].map((l) => l.textContent);

    await backend.live.report({ kind: 'position', seconds: 1, tick: 960, cue: '1M1' });
    await settle();
    expect(playing()).toEqual(['Moonlight.']);
    view.dispatch({ changes: { from: 0, insert: 'FADE IN:\n\n' } });
    await settle();
    expect(playing()).toEqual(['Moonlight.']);
    await backend.live.report({ kind: 'position', seconds: 4.5, tick: 4320, cue: '1M1' });
    await settle();
    expect(playing()).toEqual(['JULIET']);
    await backend.live.report({ kind: 'stopped' });
    await settle();
    expect(playing()).toEqual([]);
  });
});

describe('record leitmotif', () => {
  async function characters(seed: (b: FakeBackend) => void = () => {}) {
    const started = await startWith((b) => {
      const s = seedScript(b, 'characters');
      b.settings.set('lastView', 'characters');
      seed(b);
      return s;
    });
    q(started.root, 'character-item').click();
    await settle();
    return started;
  }

  it('says why it cannot record without a MIDI system', async () => {
    const { root } = await characters();
    expect(q<HTMLButtonElement>(root, 'record-start').disabled).toBe(true);
    expect(q(root, 'record-status').textContent).toBe(NO_MIDI);
  });

  it('records a take with count-in and grid, auditions it, saves it as the leitmotif, and undo restores the old one', async () => {
    const { root, backend } = await characters(withPorts);
    const character = backend.characters[0]!;
    const grid = q<HTMLSelectElement>(root, 'record-grid');
    expect(grid.value).toBe('8');
    grid.value = '4';
    q<HTMLInputElement>(root, 'record-seconds').value = '';
    q(root, 'record-start').click();
    await settle();
    expect(backend.callsOf('live_record_start')).toEqual([{ input: KEYS.id, options: { grid: 4, bpm: 120, countInBeats: 4 } }]);
    expect(q(root, 'recorder').dataset['phase']).toBe('recording');
    q(root, 'record-stop').click();
    await settle();
    expect(q(root, 'record-take').textContent).toBe('0:1, 2:1, 4:2');
    expect(q(root, 'record-status').textContent).toBe('3 notes recorded.');

    q(root, 'record-audition').click();
    await settle();
    expect(backend.callsOf('live_audition')).toEqual([{ leitmotif: backend.live.take, program: character.instrument ?? 0 }]);

    q(root, 'record-save').click();
    await waitFor(() => backend.callsOf('character_update').length === 1);
    await settle();
    expect(backend.character(character.characterId).leitmotif).toEqual(backend.live.take);
    expect(q<HTMLInputElement>(root, 'character-leitmotif').value).toBe('0:1, 2:1, 4:2');
    q(root, 'undo').click();
    await waitFor(() => backend.callsOf('character_update').length === 2);
    await settle();
    expect(backend.character(character.characterId).leitmotif ?? null).toBeNull();
  });

  it('stops by itself after the seconds asked for', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const { root, backend } = await characters(withPorts);
      q<HTMLSelectElement>(root, 'record-count-in').value = '0';
      q<HTMLInputElement>(root, 'record-seconds').value = '2';
      q(root, 'record-start').click();
      await settle();
      expect(backend.live.state.recording).toBe(true);
      await vi.advanceTimersByTimeAsync(2100);
      await settle();
      expect(backend.live.state.recording).toBe(false);
      expect(q(root, 'recorder').dataset['phase']).toBe('take');
    } finally {
      vi.useRealTimers();
    }
  });
});
