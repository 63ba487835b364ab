// 6. Orchestration: the score of the open script under the active session — the cue list,
// the piano roll, the mood table, sheet music (when LilyPond is installed) and the files
// written to the orchestration folder, with progress for the long work.

import { toApiError, type Cue, type MoodRow, type Orchestration, type Progress, type Score, type StartAt } from '../api';
import type { AppContext, View } from '../context';
import { button, h, replace } from '../dom';
import { formatTime, keyName, PianoRoll, pitchName } from '../pianoroll';
import type { Now } from '../transport';
import { createTransportBar } from './transportbar';

/** What the last run left behind, per script and session, so it survives switching views. */
interface Results {
  files: Orchestration | null;
  wavFilePath: string | null;
  /** base64 PNG pages. */
  sheets: string[];
  /** The `tool_missing` message of the last render, shown where the sheet music would be. */
  sheetMissing: string | null;
}
const remembered = new Map<string, Results>();

/** Forgets every remembered result (tests start fresh). */
export function forgetOrchestrations(): void {
  remembered.clear();
}

/** The progress bar's text and fill for a `progress` event; `fraction` null = indeterminate. */
export function progressState(p: Progress): { label: string; fraction: number | null } {
  const total = Number.isFinite(p.total) && p.total > 0 ? p.total : 0;
  const done = Math.max(0, Math.min(total, Number.isFinite(p.done) ? p.done : 0));
  const counter = total > 0 ? ` (${done}/${total})` : '';
  return { label: `${p.task}${p.step ? ` \u2014 ${p.step}` : ''}${counter}`, fraction: total > 0 ? done / total : null };
}

const FILE_KINDS: { kind: string; label: string; path: (r: Results) => string | null | undefined }[] = [
  { kind: 'midi', label: 'MIDI', path: (r) => r.files?.midiFilePath },
  { kind: 'lilypond', label: 'LilyPond', path: (r) => r.files?.lilyPondFilePath },
  { kind: 'csound', label: 'Csound', path: (r) => r.files?.csoundFilePath },
  { kind: 'pdf', label: 'PDF', path: (r) => r.files?.pdfFilePath },
  { kind: 'wav', label: 'WAV', path: (r) => r.wavFilePath ?? r.files?.wavFilePath },
];

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function createOrchestrationView(app: AppContext): View {
  let score: Score | null = null;
  let moods: MoodRow[] = [];
  let running = false;
  let selectedCue: number | null = null;
  const key = (): string => `${app.script?.scriptId}:${app.sessionId ?? 'none'}`;
  const results = (): Results => {
    let r = remembered.get(key());
    if (!r) {
      r = { files: null, wavFilePath: null, sheets: [], sheetMissing: null };
      remembered.set(key(), r);
    }
    return r;
  };

  const roll = new PianoRoll();
  const transport = createTransportBar(app, {
    cues: () => score?.cues ?? [],
    start: () => {
      const cue = selectedCue === null ? undefined : score?.cues[selectedCue];
      return cue ? { kind: 'cue', name: cue.name } : { kind: 'seconds', seconds: 0 };
    },
    play: (start) => playFrom(start),
  });
  const generateBtn = button('Generate', 'orchestration-generate', () => void generate(), { kind: 'primary', title: 'Compose the score and write MIDI, LilyPond and Csound files' });
  const renderBtn = button('Render sheet music & audio', 'orchestration-render', () => void render(), { title: 'Run LilyPond and Csound on the score' });
  const exportBtn = button('Export MIDI, LilyPond, Csound & WAV', 'orchestration-export', () => void exportFiles(), { title: 'Write every format to the orchestration folder' });
  const progressBar = h('progress', { testid: 'progress-bar', class: 'progress-bar', attrs: { max: 1 } });
  const progressLabel = h('span', { testid: 'progress-label', class: 'progress-label' });
  const progressBox = h('div', { class: 'progress', testid: 'orchestration-progress', attrs: { role: 'status', 'aria-live': 'polite', hidden: true } }, progressBar, progressLabel);
  const sessionNote = h('p', { class: 'muted', testid: 'orchestration-session' });
  const scoreHost = h('div', { class: 'orchestration-score' });
  const filesHost = h('div', { class: 'card', testid: 'orchestration-files' });
  const sheetHost = h('div', { class: 'card', testid: 'sheet-music' });
  const moodHost = h('div', { class: 'card', testid: 'mood-card' });
  const el = h(
    'section',
    { class: 'view view-orchestration', testid: 'view-orchestration', attrs: { 'aria-label': 'Orchestration' } },
    h(
      'div',
      { class: 'orchestration-main' },
      h('div', { class: 'view-header orchestration-actions', attrs: { role: 'toolbar', 'aria-label': 'Orchestration' } }, generateBtn, renderBtn, exportBtn, progressBox),
      sessionNote,
      transport.el,
      scoreHost,
      moodHost,
    ),
    h('aside', { class: 'orchestration-side' }, filesHost, sheetHost),
  );

  const scriptId = (): number => app.script!.scriptId;

  async function refresh(): Promise<void> {
    if (!app.script) return;
    const [loadedMoods, loadedScore, sessions] = await Promise.all([app.api.musicMoods(), app.api.musicScore(scriptId(), app.sessionId), app.api.sessionList(scriptId())]);
    moods = loadedMoods;
    score = loadedScore;
    const session = sessions.find((s) => s.sessionId === app.sessionId);
    sessionNote.textContent = session ? `Moods from the session \u201C${session.context || `Session ${session.sessionId}`}\u201D.` : 'No active session: every cue is neutral. Set moods in Sessions & contexts.';
    renderAll();
  }

  // ---- actions -----------------------------------------------------------------------------

  /** Plays the script's score (composed afresh by the core) from `start`. */
  async function playFrom(start: StartAt): Promise<void> {
    if (!app.script) return;
    if (!score) score = await app.api.musicScore(scriptId(), app.sessionId);
    await app.live.play(scriptId(), app.sessionId, score, start);
  }

  /** The playhead on the roll and the cue that plays, marked in the list. */
  function follow(now: Now): void {
    const here = now.state !== 'stopped' && now.scriptId === app.script?.scriptId;
    roll.setPlayhead(here ? now.tick : null);
    scoreHost.querySelectorAll<HTMLElement>('[data-testid="cue-item"]').forEach((row) => {
      const playing = here && row.dataset['cue'] === now.cue;
      row.classList.toggle('playing', playing);
      if (playing) row.setAttribute('aria-current', 'true');
      else row.removeAttribute('aria-current');
    });
  }

  /** Runs long work with the buttons disabled and `progress` events on the bar. */
  async function run(task: string, work: () => Promise<void>): Promise<void> {
    if (running) return;
    running = true;
    showProgress({ task, step: '', done: 0, total: 0 });
    let stop: (() => void) | null = null;
    try {
      stop = await app.api.onProgress(showProgress);
      await work();
    } catch (err) {
      app.showError(err);
    } finally {
      stop?.();
      running = false;
      showProgress(null);
    }
  }

  function showProgress(p: Progress | null): void {
    for (const b of [generateBtn, renderBtn, exportBtn]) b.disabled = running;
    el.setAttribute('aria-busy', running ? 'true' : 'false');
    progressBox.hidden = p === null;
    if (!p) return;
    const state = progressState(p);
    progressLabel.textContent = state.label;
    if (state.fraction === null) progressBar.removeAttribute('value');
    else progressBar.value = state.fraction;
  }

  async function orchestrate(renderToo: boolean): Promise<Orchestration> {
    const files = await app.api.musicOrchestrate(scriptId(), app.sessionId, renderToo);
    results().files = files;
    return files;
  }

  async function generate(): Promise<void> {
    await run('Generating the score', async () => {
      await orchestrate(false);
      score = await app.api.musicScore(scriptId(), app.sessionId);
      app.notify(score.cues.length ? `Generated ${score.cues.length} cue${score.cues.length === 1 ? '' : 's'}.` : 'Nothing to score yet.');
    });
    renderAll();
  }

  async function render(): Promise<void> {
    await run('Rendering sheet music and audio', async () => {
      const r = results();
      try {
        const files = await orchestrate(true);
        r.sheetMissing = null;
        r.sheets = await Promise.all((files.pngFilePaths ?? []).map((p) => app.api.musicSheetPng(p)));
      } catch (err) {
        const e = toApiError(err);
        if (e.code !== 'tool_missing') throw e;
        r.sheetMissing = e.message;
        r.sheets = [];
      }
    });
    renderAll();
  }

  async function exportFiles(): Promise<void> {
    await run('Exporting', async () => {
      await orchestrate(false);
      results().wavFilePath = (await app.api.musicRenderAudio(scriptId(), app.sessionId)).wavFilePath;
      app.notify('Exported MIDI, LilyPond, Csound and WAV.');
    });
    renderFiles();
  }

  // ---- rendering ---------------------------------------------------------------------------

  function renderAll(): void {
    renderScore();
    renderFiles();
    renderSheets();
    renderMoods();
  }

  function renderScore(): void {
    if (!score || score.cues.length === 0) {
      replace(scoreHost, h('div', { class: 'empty', testid: 'orchestration-empty' }, 'Add scenes and dialogue, then Generate.'));
      return;
    }
    replace(
      scoreHost,
      h('div', { class: 'card' }, h('h2', { class: 'card-title' }, `Cues (${score.cues.length})`), cueTable(score.cues)),
      h('div', { class: 'card' }, h('h2', { class: 'card-title' }, 'Piano roll'), roll.el),
    );
    // After the roll is in the page, so it takes its width from the layout.
    roll.setScore(score);
    transport.refresh();
    follow(app.live.now);
  }

  function cueTable(cues: Cue[]): HTMLElement {
    return h(
      'table',
      { class: 'data-table cue-list', testid: 'cue-list' },
      h('thead', null, h('tr', null, ['Cue', 'Scene', 'Mood', 'Key', 'Tempo', 'In', 'Out'].map((t) => h('th', { attrs: { scope: 'col' } }, t)))),
      h(
        'tbody',
        null,
        cues.map((c, i) =>
          h(
            'tr',
            { testid: 'cue-item', class: [i === selectedCue && 'selected'], data: { cue: c.name, sectionId: c.sectionId } },
            h(
              'td',
              null,
              h('button', { testid: 'cue-name', class: 'link cue-name', attrs: { type: 'button', title: 'Show this cue in the piano roll' }, onClick: () => selectCue(i) }, c.name),
              button('\u25B6', 'cue-play', () => void playFrom({ kind: 'cue', name: c.name }), { kind: 'small', title: `Play from here (${c.name})` }),
            ),
            h('td', { testid: 'cue-heading', class: 'cue-heading' }, c.heading),
            h('td', { testid: 'cue-mood' }, c.mood || 'neutral'),
            h('td', { testid: 'cue-key' }, keyName(c.tonic, c.mode)),
            h('td', { testid: 'cue-tempo' }, `${c.bpm} bpm`),
            h('td', { testid: 'cue-in' }, formatTime(c.startSeconds)),
            h('td', { testid: 'cue-out' }, formatTime(c.endSeconds)),
          ),
        ),
      ),
    );
  }

  function selectCue(index: number): void {
    selectedCue = index;
    scoreHost.querySelectorAll('[data-testid="cue-item"]').forEach((row, i) => row.classList.toggle('selected', i === index));
    roll.showCue(index);
    roll.canvas.scrollIntoView?.({ block: 'nearest' });
  }

  function renderFiles(): void {
    const r = results();
    const written = FILE_KINDS.map((f) => ({ ...f, file: f.path(r) })).filter((f) => f.file);
    replace(
      filesHost,
      h('h2', { class: 'card-title' }, 'Files'),
      written.length === 0
        ? h('p', { class: 'muted', testid: 'files-empty' }, 'Generate or Export writes the files to the orchestration folder.')
        : h(
            'dl',
            { class: 'file-list' },
            written.map((f) => [h('dt', null, f.label), h('dd', null, h('code', { testid: 'file-path', data: { kind: f.kind } }, f.file!))]),
          ),
    );
  }

  function renderSheets(): void {
    const r = results();
    const pages = r.sheets.filter((b) => BASE64.test(b));
    replace(
      sheetHost,
      h('h2', { class: 'card-title' }, 'Sheet music'),
      r.sheetMissing
        ? h('p', { class: 'tool-missing', testid: 'sheet-tool-missing', attrs: { role: 'note' } }, r.sheetMissing)
        : pages.length === 0
          ? h('p', { class: 'muted', testid: 'sheet-empty' }, 'Render sheet music & audio shows the pages here (needs LilyPond).')
          : h(
              'div',
              { class: 'sheet-pages' },
              pages.map((b64, i) => h('img', { testid: 'sheet-page', class: 'sheet-page', attrs: { src: `data:image/png;base64,${b64}`, alt: `Sheet music, page ${i + 1}` } })),
            ),
    );
  }

  function renderMoods(): void {
    replace(
      moodHost,
      h('h2', { class: 'card-title' }, 'Moods'),
      h('p', { class: 'hint' }, 'How a scene\u2019s mood shapes its cue. Unknown moods use the last row.'),
      h(
        'table',
        { class: 'data-table mood-table', testid: 'mood-table' },
        h('thead', null, h('tr', null, ['Mood', 'Mode', 'Tempo', 'Register', 'Velocity', 'Articulation'].map((t) => h('th', { attrs: { scope: 'col' } }, t)))),
        h(
          'tbody',
          null,
          moods.map((m) =>
            h(
              'tr',
              { testid: 'mood-row', data: { mood: m.mood } },
              h('td', null, h('span', { class: 'mood-name' }, m.mood), m.synonyms.length ? h('span', { class: 'mood-synonyms muted' }, m.synonyms.join(', ')) : null),
              h('td', null, (m.modes.length ? m.modes : [m.mode]).join(' / ')),
              h('td', null, `${m.tempo[0]}\u2013${m.tempo[1]} bpm`),
              h('td', null, `${pitchName(m.register[0])}\u2013${pitchName(m.register[1])}`),
              h('td', null, `${m.velocity[0]}\u2013${m.velocity[1]}`),
              h('td', null, m.articulation),
            ),
          ),
        ),
      ),
    );
  }

  renderAll();
  const stopFollowing = app.live.onChange(follow);
  const onKey = (ev: KeyboardEvent): void => transport.onKey(ev);
  document.addEventListener('keydown', onKey);
  return {
    el,
    refresh,
    dispose: () => {
      document.removeEventListener('keydown', onKey);
      stopFollowing();
      transport.dispose();
      roll.dispose();
    },
  };
}
