import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { forgetOrchestrations, progressState } from '../src/views/orchestration';
import { key, q, qa, seedScript, settle, startWith, waitFor } from './helpers';
import { BackendError, TINY_PNG, type FakeBackend } from './fakeBackend';

const IMG = '<img src=x onerror=alert(1)>';

// jsdom has no 2D canvas (it would log "not implemented"); the drawing is tested in pianoroll.test.ts.
beforeEach(() => void vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null));
afterEach(() => {
  forgetOrchestrations();
  vi.restoreAllMocks();
});

/** The seeded script (two scenes, JULIET speaks) with a session that sets a mood on scene 1. */
function seedWithMood(b: FakeBackend, heading?: string) {
  const seeded = seedScript(b, 'orchestration');
  if (heading) b.section(seeded.s1.headingId).title = heading;
  const session = b.addSession(seeded.script.scriptId, 'First reading');
  b.setContext(session.sessionId, { headingId: seeded.s1.headingId }, { mood: 'sadness' });
  b.settings.set(`activeSession:${seeded.script.scriptId}`, session.sessionId);
  return { ...seeded, session };
}

const cells = (root: ParentNode, testid: string) => qa(root, testid).map((c) => c.textContent);

describe('orchestration view', () => {
  it('is reachable with Ctrl+6 and shows the empty state for a script without scenes', async () => {
    const { root, backend } = await startWith((b) => {
      const s = b.addScript('Blank');
      b.settings.set('lastScript', s.scriptId);
    });
    key(document, '6', { ctrlKey: true });
    await settle();
    expect(q(root, 'nav-orchestration').getAttribute('aria-current')).toBe('page');
    expect(q(root, 'orchestration-empty').textContent).toBe('Add scenes and dialogue, then Generate.');
    expect(backend.callsOf('music_moods')).toHaveLength(1);
    expect(q(root, 'files-empty')).toBeTruthy();
  });

  it('Generate lists the cues with key, tempo and times, draws the roll and shows the files', async () => {
    const { root, backend } = await startWith((b) => void seedWithMood(b));
    q(root, 'orchestration-generate').click();
    await settle();
    expect(backend.callsOf('music_orchestrate')).toEqual([{ scriptId: 1, sessionId: 1, render: false }]);
    expect(qa(root, 'cue-item').map((r) => r.dataset['cue'])).toEqual(['1M1', '1M2']);
    expect(cells(root, 'cue-heading')).toEqual(['EXT. ORCHARD - NIGHT', 'INT. TOMB - NIGHT']);
    expect(cells(root, 'cue-mood')).toEqual(['sadness', 'neutral']);
    expect(cells(root, 'cue-key')).toEqual(['A minor', 'C major']);
    expect(cells(root, 'cue-tempo')).toEqual(['120 bpm', '120 bpm']);
    // Scene 1 has 3 elements = 24 beats at 120 bpm = 12 s.
    expect(cells(root, 'cue-in')).toEqual(['0:00.0', '0:12.0']);
    expect(cells(root, 'cue-out')).toEqual(['0:12.0', '0:16.0']);
    expect(cells(root, 'legend-item')).toEqual(['UnderscoreString Ensemble 1', 'JULIETFlute']);
    expect(q(root, 'pianoroll-canvas').getAttribute('aria-label')).toContain('2 cues');
    expect(qa(root, 'file-path').map((p) => [p.dataset['kind'], p.textContent])).toEqual([
      ['midi', '/data/orchestration/script-1-session-1/score.mid'],
      ['lilypond', '/data/orchestration/script-1-session-1/score.ly'],
      ['csound', '/data/orchestration/script-1-session-1/score.csd'],
    ]);
  });

  it('a click on a cue shows it across the piano roll', async () => {
    const { root } = await startWith((b) => void seedWithMood(b));
    const second = qa(root, 'cue-item')[1]!;
    q(second, 'cue-name').click();
    expect(second.classList.contains('selected')).toBe(true);
    // Cue 1M2 starts at 24 beats of 480 ticks.
    expect((q(root, 'pianoroll-scroll') as HTMLInputElement).value).toBe(String(24 * 480));
  });

  it('shows scene headings and character names with markup literally', async () => {
    const { root } = await startWith((b) => {
      const s = seedWithMood(b, `INT. ${IMG} - DAY`);
      b.character(s.juliet.characterId).name = IMG;
    });
    expect(q(root, 'cue-heading').textContent).toBe(`INT. ${IMG} - DAY`);
    expect([...root.querySelectorAll('.legend-name')].map((n) => n.textContent)).toContain(IMG);
    expect(root.querySelectorAll('img').length).toBe(0);
    expect(root.querySelectorAll('[onerror]').length).toBe(0);
  });

  it('shows the mood table from the core as text', async () => {
    const { root } = await startWith((b) => void seedWithMood(b));
    const rows = qa(root, 'mood-row');
    expect(rows.map((r) => r.dataset['mood'])).toEqual(['joy', 'tenderness', 'longing', 'sadness', 'fear', 'anger', 'neutral']);
    const joySynonyms = 'happy, happiness, joyful, elation, delight, excitement, excited, celebration, triumph, euphoria, cheerful, playful';
    expect([...rows[0]!.querySelectorAll('td')].map((td) => td.textContent)).toEqual([`joy${joySynonyms}`, 'ionian / lydian', '120\u2013150 bpm', 'C5\u2013G5', '90\u2013110', 'staccato']);
  });

  it('shows progress while generating, with the buttons disabled until it ends', async () => {
    let release = () => {};
    const { root, backend } = await startWith((b) => {
      seedWithMood(b);
      b.gate = new Promise((r) => (release = r));
    });
    const buttons = ['orchestration-generate', 'orchestration-render', 'orchestration-export'].map((id) => q<HTMLButtonElement>(root, id));
    buttons[0]!.click();
    await waitFor(() => q(root, 'progress-label').textContent === 'orchestrate \u2014 MIDI (1/3)');
    expect(q(root, 'orchestration-progress').hidden).toBe(false);
    expect((q(root, 'progress-bar') as HTMLProgressElement).value).toBeCloseTo(1 / 3);
    expect(buttons.map((b) => b.disabled)).toEqual([true, true, true]);
    buttons[1]!.click(); // disabled: nothing starts
    release();
    await settle();
    expect(q(root, 'orchestration-progress').hidden).toBe(true);
    expect(buttons.map((b) => b.disabled)).toEqual([false, false, false]);
    expect(backend.callsOf('music_orchestrate')).toHaveLength(1);
  });

  it('progress text and fill come from task, step, done and total', () => {
    expect(progressState({ task: 'render', step: 'LilyPond', done: 4, total: 5 })).toEqual({ label: 'render \u2014 LilyPond (4/5)', fraction: 0.8 });
    expect(progressState({ task: 'Exporting', step: '', done: 0, total: 0 })).toEqual({ label: 'Exporting', fraction: null });
    expect(progressState({ task: 't', step: 's', done: 9, total: 3 }).fraction).toBe(1);
  });

  it('shows LilyPond\u2019s tool_missing message plainly where the sheet music would be', async () => {
    const { root } = await startWith((b) => {
      seedWithMood(b);
      b.missingTools.add('lilypond');
    });
    q(root, 'orchestration-render').click();
    await settle();
    expect(q(root, 'sheet-tool-missing').textContent).toBe('lilypond is not installed; install the Debian package "lilypond" (apt-get install lilypond)');
    expect(q(root, 'error-banner').hidden).toBe(true);
    expect(root.querySelectorAll('[data-testid="sheet-page"]').length).toBe(0);
  });

  it('renders sheet music pages as data: images and exports every format', async () => {
    const { root, backend } = await startWith((b) => void seedWithMood(b));
    q(root, 'orchestration-render').click();
    await settle();
    const pages = qa<HTMLImageElement>(root, 'sheet-page');
    expect(pages.map((p) => p.getAttribute('src'))).toEqual([`data:image/png;base64,${TINY_PNG}`, `data:image/png;base64,${TINY_PNG}`]);
    expect(pages[1]!.alt).toBe('Sheet music, page 2');
    expect(backend.callsOf('music_sheet_png').map((a) => a['path'])).toEqual(['/data/orchestration/script-1-session-1/score-page1.png', '/data/orchestration/script-1-session-1/score-page2.png']);
    q(root, 'orchestration-export').click();
    await settle();
    // Export writes the score's files afresh: the rendered PDF of before is no longer listed.
    expect(qa(root, 'file-path').map((p) => p.dataset['kind'])).toEqual(['midi', 'lilypond', 'csound', 'wav']);
    expect(q(root, 'file-path', '[data-kind="wav"]').textContent).toBe('/data/orchestration/script-1-session-1/preview.wav');
  });

  it('shows other errors in the banner and keeps the buttons usable', async () => {
    const { root, backend } = await startWith((b) => void seedWithMood(b));
    backend.failures.set('music_orchestrate', new BackendError('io', 'disk full'));
    q(root, 'orchestration-generate').click();
    await settle();
    expect(q(root, 'error-message').textContent).toBe('disk full');
    expect(q<HTMLButtonElement>(root, 'orchestration-generate').disabled).toBe(false);
  });
});
