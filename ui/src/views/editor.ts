// The script editor: the whole script as Fountain text in CodeMirror, saved into the database
// within a second of the last keystroke (screenplay_sync), with a scene navigator that follows
// the cursor. A mode of the Script view.

import type { EditorView } from '@codemirror/view';
import type { AppContext } from '../context';
import { h, replace } from '../dom';
import { Autosave, type SaveState } from '../editor/autosave';
import { createFountainEditor, goToLine, lineKinds } from '../editor/codemirror';
import { drafts } from '../editor/drafts';
import { sceneIndexAt, scenesOf, type SceneLine } from '../editor/scenes';

export const SAVE_LABEL: Record<SaveState, string> = {
  saved: 'All changes saved',
  dirty: 'Unsaved changes\u2026',
  saving: 'Saving\u2026',
  error: 'Not saved \u2014 retrying',
};

export interface EditorPane {
  readonly el: HTMLElement;
  /** Loads the script's text into a new editor. */
  load(): Promise<void>;
  /** Saves what is unsaved now (before an export, say); false when the save failed (the text is kept). */
  flush(): Promise<boolean>;
  /** Saves what is unsaved, then tears the editor down. */
  dispose(): Promise<void>;
}

export function createEditorPane(app: AppContext): EditorPane {
  const scriptId = app.script!.scriptId;
  let view: EditorView | null = null;
  let autosave: Autosave | null = null;
  let scenes: SceneLine[] = [];
  let current = -1;
  let names: string[] = [];

  const sceneList = h('ol', { class: 'scene-list', testid: 'editor-scene-list', attrs: { 'aria-label': 'Scenes in the text' } });
  const saveState = h('span', { class: 'save-state', testid: 'editor-save-state', attrs: { role: 'status', 'aria-live': 'polite' } });
  const saveError = h('span', { class: 'save-error', testid: 'editor-save-error' });
  const host = h('div', { class: 'editor-host', testid: 'editor' });
  const el = h(
    'div',
    { class: 'view-editor' },
    h('aside', { class: 'scene-nav', attrs: { 'aria-label': 'Scene navigator' } }, h('h2', { class: 'panel-title' }, 'Scenes'), sceneList, h('p', { class: 'hint' }, 'Follows the cursor; click a scene to jump to it. Ctrl+Space completes names and places.')),
    h('div', { class: 'editor-column' }, h('div', { class: 'editor-bar' }, saveState, saveError), host),
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

  function followCursor(line: number): void {
    const index = sceneIndexAt(scenes, line);
    if (index === current) return;
    current = index;
    sceneList.querySelectorAll('[data-testid="editor-scene-item"]').forEach((item, i) => {
      item.classList.toggle('selected', i === index);
      if (i === index) item.setAttribute('aria-current', 'true');
      else item.removeAttribute('aria-current');
    });
  }

  async function save(text: string): Promise<void> {
    await app.api.screenplaySync(scriptId, text);
    // Structured edits recorded before this save may point at lines the text replaced.
    app.undo.clear();
  }

  async function load(): Promise<void> {
    const [saved, characters] = await Promise.all([app.api.screenplayFountainText(scriptId), app.api.characterList(scriptId)]);
    names = characters.map((c) => c.name);
    const draft = drafts.get(scriptId);
    drafts.delete(scriptId);
    autosave = new Autosave(saved, save);
    autosave.onState(showState);
    showState('saved');
    if (draft !== undefined && draft !== saved) autosave.change(draft);
    view = createFountainEditor({
      doc: draft ?? saved,
      parent: host,
      knownNames: () => names,
      onChange: (t) => {
        autosave?.change(t);
        followText();
      },
      onCursorLine: followCursor,
    });
    followText();
    followCursor(0);
    view.focus();
  }

  async function dispose(): Promise<void> {
    const pending = autosave;
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

  return { el, load, flush, dispose };
}
