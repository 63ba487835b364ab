// 2. Script: the scene navigator (add, rename, delete, reorder by drag-and-drop or
// Alt+Arrow keys) and the selected scene's elements formatted like a screenplay page; or, as
// the second mode (Ctrl+E), the whole script as Fountain text in the editor.

import { pagesLabel } from '../editor/pages';
import type { RoomChange } from '../api';
import type { AppContext, View } from '../context';
import { button, h, replace } from '../dom';
import type { EditorPane } from './editor';
import { composerForm, openComposer } from './script/composer';
import { ScriptDetails } from './script/details';
import { elementRow } from './script/elements';
import { listenForDrags, sceneAddInput, sceneItem, sceneList, sceneNavigator } from './script/scenes';
import { followTheMusic, markPlaying } from './script/follow';
import { isOpening, sceneSelector, type ComposerKind, type ScriptScope, type ScriptState } from './script/scope';
import { exportBar, importButton, linkBar } from './transfer';

export { dropped, moved } from './script/scenes';

export type ScriptMode = 'scenes' | 'editor';
/** The mode the Script view opens in: the one used last. */
let lastMode: ScriptMode = 'scenes';

export const SCRIPT_EMPTY = 'This script has no scenes yet \u2014 add the first scene heading, e.g. INT. KITCHEN - DAY.';
export const SCENE_EMPTY = 'This scene is empty \u2014 add an action, a line of dialogue or a transition below.';

async function loadScenes(v: ScriptScope): Promise<void> {
  const { app, state } = v;
  const known = new Set(state.sections.map((s) => s.headingId));
  [state.sections, state.characters] = await Promise.all([app.api.sectionList(v.scriptId()), app.api.characterList(v.scriptId())]);
  // A scene that just appeared (added, or brought back by undo/redo) becomes the selected one.
  const appeared = known.size > 0 ? state.sections.filter((s) => !known.has(s.headingId)) : [];
  if (appeared.length === 1) state.selected = appeared[0]!.headingId;
  if (state.selected === null || !state.sections.some((s) => s.headingId === state.selected)) {
    // Undo may have re-created the selected scene under a new id.
    const resolved = state.selected === null ? null : app.undo.ids.resolve('section', state.selected);
    state.selected = state.sections.some((s) => s.headingId === resolved) ? resolved : (state.sections[0]?.headingId ?? null);
  }
  app.selection.headingId = state.selected;
  state.elements = state.selected === null ? [] : await app.api.elementList(state.selected);
  if (state.editing !== null && !state.elements.some((e) => e.elementId === state.editing)) state.editing = null;
}

function renderPage(v: ScriptScope): void {
  const { state, page } = v;
  const section = state.sections.find((s) => s.headingId === state.selected);
  if (!section) {
    replace(page, h('div', { class: 'empty page-empty', testid: 'script-empty' }, h('p', null, SCRIPT_EMPTY)));
    return;
  }
  const index = state.sections.indexOf(section);
  const { elements, composer } = state;
  const add = (kind: ComposerKind) => ({ kind: composer === kind ? 'primary' : undefined }) as const;
  replace(
    page,
    isOpening(section)
      ? h('div', { class: 'scene-opening', testid: 'scene-opening', attrs: { 'aria-label': 'The opening, before the first scene heading' } })
      : h('div', { class: 'scene-heading', testid: 'scene-heading' }, h('span', { class: 'scene-heading-number' }, `${index + 1}.`), h('span', { class: 'scene-heading-text' }, section.title)),
    elements.length === 0 ? h('p', { class: 'empty scene-empty', testid: 'scene-empty' }, SCENE_EMPTY) : h('div', { class: 'elements', testid: 'element-list' }, elements.map((e, i) => elementRow(v, e, i))),
    composer ? composerForm(v, composer) : null,
    h(
      'div',
      { class: 'add-bar', attrs: { role: 'toolbar', 'aria-label': 'Add to scene' } },
      button('+ Action', 'element-add-action', () => openComposer(v, 'action'), add('action')),
      button('+ Dialogue', 'element-add-dialogue', () => openComposer(v, 'dialogue'), add('dialogue')),
      button('+ Transition', 'element-add-transition', () => openComposer(v, 'transition'), add('transition')),
    ),
  );
  page.setAttribute('tabindex', '-1');
  page.setAttribute('aria-label', isOpening(section) ? 'The opening' : `Scene ${index + 1}: ${section.title}`);
}

function initialState(selected: number | null): ScriptState {
  return {
    sections: [],
    elements: [],
    characters: [],
    selected,
    renaming: null,
    editing: null,
    composer: null,
    composerCharacter: '',
    drag: null,
    // Arriving with a scene chosen elsewhere (a story heading, a validation issue): focus it.
    focusAfter: selected !== null ? sceneSelector(selected) : null,
  };
}

export function createScriptView(app: AppContext): View {
  const state = initialState(app.selection.headingId);
  const cleanups: Array<() => void> = [];
  const page = h('div', { class: 'script-page', testid: 'script-page' });
  const v: ScriptScope = { app, state, sceneList: sceneList(), addInput: sceneAddInput(), page, scriptId: () => app.script!.scriptId, render, refresh };
  // A room's reader: every control on the page is disabled by its fieldset.
  const pageWrap = app.readOnly ? h('fieldset', { class: 'page-wrap read-only', testid: 'script-read-only', attrs: { disabled: true } }, page) : h('div', { class: 'page-wrap' }, page);
  if (app.readOnly) v.addInput.disabled = true;
  const structured = h('div', { class: 'view-script' }, sceneNavigator(v), pageWrap);
  const body = h('div', { class: 'script-body' });
  const modeTabs = {
    scenes: button('Scenes', 'script-mode-scenes', () => void setMode('scenes'), { title: 'Scene by scene (Ctrl+E toggles)' }),
    editor: button('Fountain editor', 'script-mode-editor', () => void setMode('editor'), { title: 'The whole script as Fountain text (Ctrl+E toggles)' }),
  };
  for (const b of Object.values(modeTabs)) b.setAttribute('role', 'tab');
  const details = new ScriptDetails(app, flushEditor);
  const linked = linkBar(app, flushEditor);
  const pages = h('span', { class: 'script-pages muted', testid: 'script-page-count', attrs: { title: 'Pages as the PDF export prints them' } });
  const showPages = async (): Promise<void> => {
    const scriptId = app.script?.scriptId;
    if (scriptId === undefined) return;
    const p = await app.attempt(() => app.api.screenplayPages(scriptId));
    if (p) {
      pages.textContent = pagesLabel(p.count);
      pages.dataset['count'] = String(p.count);
    }
  };
  const header = h(
    'div',
    { class: 'script-header' },
    h('div', { class: 'mode-tabs', attrs: { role: 'tablist', 'aria-label': 'Script mode' } }, modeTabs.scenes, modeTabs.editor),
    details.el,
    pages,
    h('div', { class: 'toolbar-spacer' }),
    linked.el,
    importButton(app),
    exportBar(app, flushEditor),
  );
  const el = h('section', { class: 'view view-script-host', testid: 'view-script', attrs: { 'aria-label': 'Script' } }, header, body);
  let mode: ScriptMode = lastMode;
  let editor: EditorPane | null = null;

  async function refresh(): Promise<void> {
    if (!app.script) return;
    renderHeader();
    void linked.refresh();
    void showPages();
    if (mode === 'editor') {
      await reopenEditor();
      return;
    }
    await loadScenes(v);
    render();
  }

  // After an undo or redo the database changed under the text: the editor starts again from it.
  async function reopenEditor(): Promise<void> {
    await closeEditor();
    await openEditor();
  }

  function render(): void {
    if (body.firstChild !== structured) replace(body, structured);
    replace(v.sceneList, state.sections.map((s, i) => sceneItem(v, s, i)));
    renderPage(v);
    markPlaying(structured, app.live.now.scriptId === app.script?.scriptId ? app.live.now : { ...app.live.now, headingId: null, elementId: null });
    if (state.focusAfter) {
      const target = el.querySelector<HTMLElement>(state.focusAfter);
      state.focusAfter = null;
      target?.focus();
    }
  }

  // ---- modes ----------------------------------------------------------------------------

  async function openEditor(): Promise<void> {
    // CodeMirror loads with the editor, not with the app's first screen.
    const { createEditorPane } = await import('./editor');
    if (mode !== 'editor' || editor) return;
    editor = createEditorPane(app);
    replace(body, editor.el);
    await editor.load();
  }

  async function closeEditor(): Promise<void> {
    if (!editor) return;
    const closing = editor;
    editor = null;
    await closing.dispose();
  }

  async function flushEditor(): Promise<boolean> {
    return editor ? editor.flush() : true;
  }

  async function setMode(next: ScriptMode): Promise<void> {
    if (next === mode) return;
    mode = next;
    lastMode = next;
    await closeEditor();
    if (mode === 'scenes') state.focusAfter = state.selected !== null ? sceneSelector(state.selected) : '[data-testid="scene-add-input"]';
    await refresh();
  }

  function renderHeader(): void {
    for (const [name, b] of Object.entries(modeTabs)) {
      b.setAttribute('aria-selected', name === mode ? 'true' : 'false');
      b.classList.toggle('active', name === mode);
    }
    details.render();
  }

  const onModeKey = (ev: KeyboardEvent) => {
    if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && !ev.shiftKey && ev.key.toLowerCase() === 'e') {
      ev.preventDefault();
      void setMode(mode === 'editor' ? 'scenes' : 'editor');
    }
  };
  document.addEventListener('keydown', onModeKey);
  cleanups.push(() => document.removeEventListener('keydown', onModeKey));
  cleanups.push(listenForDrags(v));
  cleanups.push(followTheMusic(v, structured));
  cleanups.push(() => {
    if (editor) void editor.dispose();
    editor = null;
  });

  /** Another writer's change: drawn again, unless the writer is typing in a field here. */
  async function roomChanged(change: RoomChange): Promise<void> {
    if (mode === 'editor') {
      await editor?.roomChanged(change);
      return;
    }
    const active = document.activeElement;
    if ((active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) && el.contains(active) && active.value !== '') {
      app.notify('Another writer changed this script; it shows when you are done typing here.');
      return;
    }
    const focused = active instanceof HTMLElement && el.contains(active) ? active.dataset['testid'] : undefined;
    await refresh();
    if (focused) el.querySelector<HTMLElement>(`[data-testid="${focused}"]`)?.focus();
  }

  return { el, refresh, flush: flushEditor, dispose: () => cleanups.forEach((c) => c()), roomChanged };
}
