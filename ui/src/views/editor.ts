// The script editor: the whole script as Fountain text in CodeMirror, saved into the database
// within a second of the last keystroke (screenplay_sync), with a scene navigator that follows
// the cursor. A mode of the Script view.

import type { EditorView } from '@codemirror/view';
import type { AppContext } from '../context';
import type { Draft, MergeSummary, RoomChange } from '../api';
import { h, replace } from '../dom';
import { Autosave, type SaveState } from '../editor/autosave';
import { createFountainEditor, goToLine, lineKinds } from '../editor/codemirror';
import { DraftKeeper } from '../editor/draftkeeper';
import { drafts } from '../editor/drafts';
import { followMusic, setElementLines, showPlaying } from '../editor/playing';
import { sceneIndexAt, scenesOf, type SceneLine } from '../editor/scenes';
import { currentBreaks, pageAt, pageLabel, setPageBreaks } from '../editor/pages';

export const SAVE_LABEL: Record<SaveState, string> = {
  saved: 'All changes saved',
  dirty: 'Unsaved changes\u2026',
  saving: 'Saving\u2026',
  error: 'Not saved \u2014 retrying',
};

/** "14:05" from a draft's UTC timestamp, in the writer's time zone. */
export function draftTime(updatedAt: string): string {
  const at = new Date(updatedAt);
  if (Number.isNaN(at.getTime())) return updatedAt;
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

/** What the writer is told after a merge. */
export function mergeNotice(m: MergeSummary): string {
  const elsewhere = m.changedElsewhere.map((s) => s.title);
  const merged = elsewhere.length === 0 ? 'Merged with the changes made elsewhere.' : `Merged with the changes made elsewhere to ${elsewhere.join(', ')}.`;
  if (m.conflict) return `${merged} ${m.conflict.message.charAt(0).toUpperCase()}${m.conflict.message.slice(1)}.`;
  const both = m.bothChanged.map((s) => s.title);
  if (both.length === 0 && !m.titlePageBoth) return merged;
  const named = [...(m.titlePageBoth ? ['the title page'] : []), ...both].join(', ');
  return `${merged} Changed on both sides: ${named}. The other version stays; your lines are kept as its alts.`;
}

export interface EditorPane {
  readonly el: HTMLElement;
  /** Loads the script's text into a new editor. */
  load(): Promise<void>;
  /** Saves what is unsaved now (before an export, say); false when the save failed (the text is kept). */
  flush(): Promise<boolean>;
  /** Saves what is unsaved, then tears the editor down. */
  dispose(): Promise<void>;
  /** Another writer changed the script: the text is loaded again, unless the writer's own is unsaved. */
  roomChanged(change: RoomChange): Promise<void>;
}

export function createEditorPane(app: AppContext): EditorPane {
  const scriptId = app.script!.scriptId;
  let view: EditorView | null = null;
  let autosave: Autosave | null = null;
  let scenes: SceneLine[] = [];
  let current = -1;
  let names: string[] = [];
  /** What the editor's text was written from: the text last loaded or saved and its revision. */
  let base = { text: '', revision: 0 };
  let keeper: DraftKeeper | null = null;
  let stopFollowing: (() => void) | null = null;
  /** The page count of the stored script, as the PDF export prints it; 0 until known. */
  let pageCount = 0;
  let cursorLine = 1;

  const sceneList = h('ol', { class: 'scene-list', testid: 'editor-scene-list', attrs: { 'aria-label': 'Scenes in the text' } });
  const saveState = h('span', { class: 'save-state', testid: 'editor-save-state', attrs: { role: 'status', 'aria-live': 'polite' } });
  const saveError = h('span', { class: 'save-error', testid: 'editor-save-error' });
  const pageState = h('span', { class: 'page-state', testid: 'editor-page', attrs: { 'aria-live': 'off' } });
  const host = h('div', { class: 'editor-host', testid: 'editor' });
  const notice = h('div', { class: 'editor-notice', testid: 'editor-notice', attrs: { role: 'status', 'aria-live': 'polite' } });
  const el = h(
    'div',
    { class: 'view-editor' },
    h('aside', { class: 'scene-nav', attrs: { 'aria-label': 'Scene navigator' } }, h('h2', { class: 'panel-title' }, 'Scenes'), sceneList, h('p', { class: 'hint' }, 'Follows the cursor; click a scene to jump to it. Ctrl+Space completes names and places.')),
    h('div', { class: 'editor-column' }, h('div', { class: 'editor-bar' }, saveState, saveError, pageState), notice, host),
  );

  function showState(state: SaveState, error?: unknown): void {
    saveState.textContent = SAVE_LABEL[state];
    saveState.dataset['state'] = state;
    saveError.textContent = state === 'error' && error && typeof error === 'object' && 'message' in error ? String((error as { message: unknown }).message) : '';
  }

  function renderScenes(): void {
    replace(
      sceneList,
      scenes.map((s, i) =>
        h(
          'li',
          {
            testid: 'editor-scene-item',
            class: ['scene-item', i === current && 'selected'],
            data: { line: s.line },
            attrs: { tabindex: 0, 'aria-current': i === current ? 'true' : undefined },
            onClick: () => view && goToLine(view, s.line),
            onKeydown: (ev) => {
              if (ev.key === 'Enter' || ev.key === ' ') {
                ev.preventDefault();
                if (view) goToLine(view, s.line);
              }
            },
          },
          h('span', { class: 'scene-number' }, String(i + 1)),
          h('span', { class: 'scene-title', testid: 'editor-scene-title' }, s.title),
        ),
      ),
    );
  }

  function followText(): void {
    if (!view) return;
    const next = scenesOf(view.state.doc.toString(), view.state.field(lineKinds));
    const changed = next.length !== scenes.length || next.some((s, i) => s.line !== scenes[i]!.line || s.title !== scenes[i]!.title);
    scenes = next;
    if (changed) renderScenes();
  }

  function showPage(): void {
    if (!view || pageCount === 0) return;
    pageState.textContent = pageLabel(pageAt(currentBreaks(view), cursorLine), pageCount);
    pageState.dataset['count'] = String(pageCount);
  }

  /** Paginates the stored script (after loading and after each save) and marks the breaks. */
  async function repaginate(): Promise<void> {
    try {
      const pages = await app.api.screenplayPages(scriptId);
      // Typed since the save: the marks of this text would be out of step; the next save brings them.
      if (!view || view.state.doc.toString() !== base.text || pages.revision !== base.revision) return;
      pageCount = pages.count;
      view.dispatch({ effects: setPageBreaks.of(pages.breaks) });
      showPage();
    } catch (err) {
      app.showError(err);
    }
  }

  function followCursor(line: number): void {
    cursorLine = line + 1;
    showPage();
    const index = sceneIndexAt(scenes, line);
    if (index === current) return;
    current = index;
    sceneList.querySelectorAll('[data-testid="editor-scene-item"]').forEach((item, i) => {
      item.classList.toggle('selected', i === index);
      if (i === index) item.setAttribute('aria-current', 'true');
      else item.removeAttribute('aria-current');
    });
  }

  /**
   * Saves the text with what it was written from. When the script changed elsewhere meanwhile
   * (another writer, window or the command line), the core merges the two in the same save and
   * the editor shows the merged text.
   */
  async function save(text: string): Promise<void> {
    const result = await app.api.screenplaySave(scriptId, { text, baseText: base.text, baseRevision: base.revision });
    if (result.merged) await adopt(result, text);
    else base = { text, revision: result.sync.revision };
    if (text === autosave?.latest || result.merged) await keeper?.saved();
    void repaginate();
    // Structured edits recorded before this save may point at lines the text replaced.
    app.undo.clear();
  }

  function showNotice(kind: string, ...content: (Node | string)[]): void {
    notice.dataset['kind'] = kind;
    replace(notice, content);
  }

  /** A merged save: text typed while it ran is merged on top the same way, then the editor shows it. */
  async function adopt(first: MergeSummary, saved: string): Promise<void> {
    let result = first;
    let [from, mine] = [saved, saved];
    while (view && view.state.doc.toString() !== mine) {
      [from, mine] = [mine, view.state.doc.toString()];
      result = await app.api.screenplayMerge(scriptId, from, mine);
    }
    base = { text: result.text, revision: result.sync.revision };
    // The text was replaced whole: where the elements start is not known until it is loaded again.
    if (view && view.state.doc.toString() !== result.text) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: result.text }, effects: setElementLines.of([]) });
    const told = { ...first, bothChanged: [...first.bothChanged, ...(result === first ? [] : result.bothChanged)], conflict: first.conflict ?? result.conflict };
    const kind = told.conflict ? 'conflict' : 'merged';
    showNotice(kind, h('span', { testid: 'editor-merge-notice' }, mergeNotice(told)));
  }

  /** The text as this editor last loaded or saved it is the latest: nothing to load. */
  const upToDate = (change: RoomChange) => change.revision !== null && change.revision <= base.revision;

  async function roomChanged(change: RoomChange): Promise<void> {
    if (!view || !autosave || upToDate(change)) return;
    // This window's own save may be announced before its answer arrives.
    await autosave.idle();
    if (!view || upToDate(change)) return;
    if (view.state.doc.toString() !== base.text) {
      showNotice('room', h('span', { testid: 'editor-room-notice' }, 'Another writer changed this script. Your text is kept here and merged with theirs when it saves.'));
      return;
    }
    const loaded = await app.api.screenplayEditorText(scriptId);
    // Typed meanwhile: the writer's text stays, and saving it merges.
    if (!view || view.state.doc.toString() !== base.text) return;
    base = { text: loaded.text, revision: loaded.revision };
    autosave.reset(loaded.text);
    const head = Math.min(view.state.selection.main.head, loaded.text.length);
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: loaded.text }, selection: { anchor: head }, effects: setElementLines.of(loaded.lines) });
    followText();
    void repaginate();
  }

  /** A draft kept before a crash: offered back, never applied unasked. */
  function offerDraft(draft: Draft): void {
    const restore = h('button', { class: 'primary', testid: 'editor-draft-restore', onClick: () => {
      base = { text: draft.baseText, revision: draft.baseRevision };
      keeper?.adopt();
      showNotice('', '');
      view?.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: draft.text }, effects: setElementLines.of([]) });
    } }, 'Restore');
    const discard = h('button', { testid: 'editor-draft-discard', onClick: () => {
      showNotice('', '');
      void app.api.draftClear(scriptId).catch((err) => app.showError(err));
    } }, 'Discard');
    showNotice('draft', h('span', { testid: 'editor-draft-offer' }, `Restore unsaved draft from ${draftTime(draft.updatedAt)}? `), restore, discard);
  }

  async function load(): Promise<void> {
    const [loaded, characters, kept] = await Promise.all([
      app.api.screenplayEditorText(scriptId),
      app.api.characterList(scriptId),
      app.api.draftGet(scriptId).catch(() => null),
    ]);
    const saved = loaded.text;
    base = { text: saved, revision: loaded.revision };
    names = characters.map((c) => c.name);
    const draft = drafts.get(scriptId);
    drafts.delete(scriptId);
    autosave = new Autosave(saved, save);
    autosave.onState(showState);
    keeper = new DraftKeeper(
      (text) => app.api.draftSave(scriptId, text, base.text, base.revision).then(() => undefined),
      () => app.api.draftClear(scriptId).then(() => undefined),
    );
    showState('saved');
    if (draft !== undefined && draft !== saved) autosave.change(draft);
    view = createFountainEditor({
      doc: draft ?? saved,
      parent: host,
      knownNames: () => names,
      onChange: (t) => {
        autosave?.change(t);
        if (t !== base.text) keeper?.change(t);
        followText();
      },
      onCursorLine: followCursor,
      extensions: [followMusic(loaded.lines)],
      readOnly: app.readOnly,
    });
    stopFollowing = app.live.onChange((now) => {
      if (view) showPlaying(view, now.scriptId === scriptId ? now.elementId : null);
    });
    if (kept && kept.text !== saved && draft === undefined) offerDraft(kept);
    followText();
    followCursor(0);
    void repaginate();
    view.focus();
  }

  async function dispose(): Promise<void> {
    const pending = autosave;
    stopFollowing?.();
    stopFollowing = null;
    keeper?.dispose();
    view?.destroy();
    view = null;
    if (!pending) return;
    try {
      await pending.flush();
    } finally {
      if (pending.current === 'error') {
        drafts.set(scriptId, pending.latest);
        app.showError({ code: 'io', message: 'The last edits in the editor could not be saved yet; they are kept and saved when you open the editor again.' });
      }
      pending.dispose();
    }
  }

  const flush = async () => {
    await autosave?.flush();
    return autosave?.current !== 'error';
  };

  return { el, load, flush, dispose, roomChanged };
}
