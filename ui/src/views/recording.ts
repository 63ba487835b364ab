// "Record leitmotif" in the Characters view: a take from a MIDI keyboard (count-in clicks and
// thru on the chosen output), quantised to a grid by the core, auditioned, and saved as the
// character's leitmotif through the undo stack.

import { toApiError, type Character, type Leitmotif, type RecordOptions } from '../api';
import type { AppContext } from '../context';
import { button, h, replace } from '../dom';
import { formatLeitmotif } from '../music';
import { updateCharacter } from '../undo';

export interface Recorder {
  readonly el: HTMLElement;
  readonly characterId: number;
  /** The character as saved now (what undo goes back to). */
  setCharacter(c: Character): void;
  dispose(): void;
}

/** `starting`: the keyboard is being connected (notes played now would be lost). */
type Phase = 'idle' | 'starting' | 'counting' | 'recording' | 'take';

const GRIDS: [string, string][] = [
  ['8', 'Eighths'],
  ['4', 'Quarters'],
  ['2', 'Halves'],
  ['1', 'Whole notes'],
];

export function createRecorder(app: AppContext, first: Character, saved: () => Promise<void>): Recorder {
  let character = first;
  let phase: Phase = 'idle';
  let take: Leitmotif | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const select = (testid: string, label: string, options: [string, string][], value: string) => {
    const el = h('select', { testid, class: 'input', attrs: { 'aria-label': label } }, options.map(([v, text]) => h('option', { attrs: { value: v } }, text)));
    el.value = value;
    return el;
  };
  const input = h('select', { testid: 'record-input', class: 'input', attrs: { 'aria-label': 'MIDI input' } });
  const countIn = select('record-count-in', 'Count-in', [['0', 'None'], ['4', '4 beats'], ['8', '8 beats']], '4');
  const grid = select('record-grid', 'Grid', GRIDS, '8');
  const bpm = h('input', { testid: 'record-bpm', class: 'input', props: { value: '120' }, attrs: { type: 'number', min: 20, max: 400, 'aria-label': 'Tempo (bpm)' } });
  const seconds = h('input', { testid: 'record-seconds', class: 'input', props: { value: '8' }, attrs: { type: 'number', min: 1, max: 600, placeholder: 'until Stop', 'aria-label': 'Seconds (empty: until Stop)' } });
  const startBtn = button('\u25CF Record', 'record-start', () => void start(), { kind: 'primary' });
  const stopBtn = button('\u25A0 Stop', 'record-stop', () => void stop());
  const status = h('p', { class: 'hint', testid: 'record-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  const result = h('div', { class: 'record-result', testid: 'record-result' });
  const el = h(
    'div',
    { class: 'card recorder', testid: 'recorder', attrs: { 'aria-label': 'Record leitmotif' } },
    h('h3', { class: 'card-title' }, 'Record leitmotif'),
    h(
      'div',
      { class: 'record-fields' },
      h('label', null, 'Keyboard ', input),
      h('label', null, 'Count-in ', countIn),
      h('label', null, 'Grid ', grid),
      h('label', null, 'Tempo ', bpm),
      h('label', null, 'Seconds ', seconds),
    ),
    h('div', { class: 'form-actions' }, startBtn, stopBtn),
    status,
    result,
  );

  function renderInputs(): void {
    const inputs = app.live.ports?.inputs ?? [];
    const chosen = input.value;
    replace(input, inputs.length === 0 ? h('option', { attrs: { value: '' } }, 'No MIDI input') : inputs.map((p) => h('option', { attrs: { value: p.id } }, p.name)));
    if (inputs.some((p) => p.id === chosen)) input.value = chosen;
    render();
  }

  function render(): void {
    const noInput = (app.live.ports?.inputs ?? []).length === 0;
    startBtn.disabled = phase !== 'idle' && phase !== 'take' ? true : noInput;
    stopBtn.disabled = phase !== 'recording';
    el.dataset['phase'] = phase;
    if (phase === 'starting') status.textContent = 'Connecting to the keyboard\u2026';
    else if (phase === 'counting') status.textContent = 'Count-in\u2026';
    else if (phase === 'recording') status.textContent = 'Recording \u2014 play the motif.';
    else if (noInput) status.textContent = app.live.portsError ?? 'Connect a MIDI keyboard to record.';
    else if (phase === 'idle') status.textContent = 'Plays through to the chosen output while recording.';
    if (phase !== 'take' || !take) {
      replace(result);
      return;
    }
    const motif = take;
    replace(
      result,
      h('p', null, 'Take: ', h('code', { testid: 'record-take' }, formatLeitmotif(motif))),
      h(
        'div',
        { class: 'form-actions' },
        button('\u25B6 Audition', 'record-audition', () => void app.attempt(() => app.live.inTurn(() => app.api.liveAudition(motif, character.instrument ?? 0)))),
        button(`Save as ${character.name}\u2019s leitmotif`, 'record-save', () => void save(motif), { kind: 'primary' }),
        button('Discard', 'record-discard', () => discard()),
      ),
    );
  }

  function options(): RecordOptions {
    return { grid: Number(grid.value), bpm: Number(bpm.value) || 120, countInBeats: Number(countIn.value) };
  }

  async function start(): Promise<void> {
    const limit = seconds.value.trim() === '' ? null : Number(seconds.value);
    if (limit !== null && !(limit > 0 && limit <= 600)) {
      app.showError({ code: 'invalid_input', message: 'Record for 1 to 600 seconds, or leave Seconds empty and press Stop.' });
      return;
    }
    // "Recording" only once the core listens: notes played before that would be lost.
    phase = options().countInBeats > 0 ? 'counting' : 'starting';
    take = null;
    render();
    try {
      await app.live.inTurn(() => app.api.liveRecordStart(input.value, options()));
    } catch (err) {
      phase = 'idle';
      render();
      app.showError(err);
      return;
    }
    phase = 'recording';
    render();
    if (limit !== null) timer = setTimeout(() => void stop(), limit * 1000);
  }

  async function stop(): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (phase !== 'recording') return;
    try {
      const recorded = await app.live.inTurn(() => app.api.liveRecordStop());
      take = recorded.leitmotif;
      phase = 'take';
      status.textContent = `${recorded.notes} note${recorded.notes === 1 ? '' : 's'} recorded.${recorded.thruError ? ` Thru stopped: ${recorded.thruError}` : ''}`;
    } catch (err) {
      phase = 'idle';
      app.showError(err);
      status.textContent = toApiError(err).message;
    }
    render();
  }

  async function save(motif: Leitmotif): Promise<void> {
    const done = await app.edit(updateCharacter(character.characterId, { leitmotif: character.leitmotif ?? null }, { leitmotif: motif }));
    if (!done) return;
    app.notify(`Saved ${done.name}\u2019s leitmotif (undo restores the old one).`);
    discard();
    await saved();
  }

  function discard(): void {
    take = null;
    phase = 'idle';
    render();
  }

  const stopListening = app.live.onPorts(renderInputs);
  renderInputs();
  if (app.live.ports === null && app.live.portsError === null) void app.live.refreshPorts();
  return {
    el,
    characterId: first.characterId,
    setCharacter: (c) => {
      character = c;
      render();
    },
    dispose: () => {
      stopListening();
      if (timer !== null) clearTimeout(timer);
      // A take left running when the writer moves on is ended, not kept open.
      if (phase === 'recording') void app.live.inTurn(() => app.api.liveRecordStop()).catch(() => undefined);
    },
  };
}
