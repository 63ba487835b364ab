// 2. Script: the scene navigator (add, rename, delete, reorder by drag-and-drop or
// Alt+Arrow keys) and the selected scene's elements formatted like a screenplay page; or, as
// the second mode (Ctrl+E), the whole script as Fountain text in the editor.

import type { Character, Element, ElementKind, ElementUpdate, SectionHeading } from '../api';
import type { AppContext, View } from '../context';
import { button, field, h, replace } from '../dom';
import { addElement, addSection, createCharacter, deleteElement, deleteSection, moveElement, renameSection, reorderSections, updateElement, updateScript } from '../undo';
import type { EditorPane } from './editor';
import { exportBar, importButton } from './transfer';

export type ScriptMode = 'scenes' | 'editor';
/** The mode the Script view opens in: the one used last. */
let lastMode: ScriptMode = 'scenes';

export const SCRIPT_EMPTY = 'This script has no scenes yet \u2014 add the first scene heading, e.g. INT. KITCHEN - DAY.';
export const SCENE_EMPTY = 'This scene is empty \u2014 add an action, a line of dialogue or a transition below.';

const KIND_LABEL: Record<ElementKind, string> = {
  action: 'Action',
  dialogue: 'Dialogue',
  transition: 'Transition',
  lyrics: 'Lyrics',
  centered: 'Centered',
  note: 'Note',
  synopsis: 'Synopsis',
  page_break: 'Page break',
  section: 'Section',
  boneyard: 'Boneyard',
};

type ComposerKind = 'action' | 'dialogue' | 'transition';
const NEW_CHARACTER = '__new__';

/** Moves `id` in `order` by `delta` places; null when it cannot move. */
export function moved(order: number[], id: number, delta: number): number[] | null {
  const from = order.indexOf(id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= order.length) return null;
  const next = order.slice();
  next.splice(from, 1);
  next.splice(to, 0, id);
  return next;
}

/** The order after dropping `dragged` onto `target`: it takes the target's place. */
export function dropped(order: number[], dragged: number, target: number): number[] | null {
  const from = order.indexOf(dragged);
  const to = order.indexOf(target);
  if (from < 0 || to < 0 || from === to) return null;
  const next = order.slice();
  next.splice(from, 1);
  next.splice(to, 0, dragged);
  return next;
}

export function createScriptView(app: AppContext): View {
  let sections: SectionHeading[] = [];
  let elements: Element[] = [];
  let characters: Character[] = [];
  let selected: number | null = app.selection.headingId;
  let renaming: number | null = null;
  let editing: number | null = null;
  let composer: ComposerKind | null = null;
  let composerCharacter: string = '';
  let drag: { from: number; x: number; y: number; moving: boolean } | null = null;
  const cleanups: Array<() => void> = [];
  // Arriving with a scene chosen elsewhere (a story heading, a validation issue): focus it.
  let focusAfter: string | null = selected !== null ? `[data-testid="scene-item"][data-heading-id="${selected}"]` : null;

  const sceneList = h('ol', { class: 'scene-list', testid: 'scene-list', attrs: { 'aria-label': 'Scenes' } });
  const addInput = h('input', {
    testid: 'scene-add-input',
    class: 'input',
    attrs: { type: 'text', placeholder: 'INT. KITCHEN - DAY', 'aria-label': 'New scene heading' },
  });
  const addForm = h(
    'form',
    {
      class: 'scene-add',
      onSubmit: (ev) => {
        ev.preventDefault();
        void addScene();
      },
    },
    addInput,
    h('button', { testid: 'scene-add', class: 'btn btn-primary', attrs: { type: 'submit', title: 'Add scene heading' } }, '+ Scene'),
  );
  const nav = h('aside', { class: 'scene-nav', attrs: { 'aria-label': 'Scene navigator' } }, h('h2', { class: 'panel-title' }, 'Scenes'), sceneList, addForm, h('p', { class: 'hint' }, 'Drag scenes, or press Alt+\u2191/\u2193 on a scene, to reorder. F2 renames.'));
  const page = h('div', { class: 'script-page', testid: 'script-page' });
  const pageWrap = h('div', { class: 'page-wrap' }, page);
  const structured = h('div', { class: 'view-script' }, nav, pageWrap);
  const body = h('div', { class: 'script-body' });
  const modeTabs = {
    scenes: button('Scenes', 'script-mode-scenes', () => void setMode('scenes'), { title: 'Scene by scene (Ctrl+E toggles)' }),
    editor: button('Fountain editor', 'script-mode-editor', () => void setMode('editor'), { title: 'The whole script as Fountain text (Ctrl+E toggles)' }),
  };
  for (const b of Object.values(modeTabs)) b.setAttribute('role', 'tab');
  const details = h('div', { class: 'script-details', testid: 'script-details' });
  const header = h(
    'div',
    { class: 'script-header' },
    h('div', { class: 'mode-tabs', attrs: { role: 'tablist', 'aria-label': 'Script mode' } }, modeTabs.scenes, modeTabs.editor),
    details,
    h('div', { class: 'toolbar-spacer' }),
    importButton(app),
    exportBar(app, flushEditor),
  );
  const el = h('section', { class: 'view view-script-host', testid: 'view-script', attrs: { 'aria-label': 'Script' } }, header, body);
  let mode: ScriptMode = lastMode;
  let editor: EditorPane | null = null;
  let editingDetails = false;

  const scriptId = (): number => app.script!.scriptId;

  // ---- data -----------------------------------------------------------------------------

  async function refresh(): Promise<void> {
    if (!app.script) return;
    renderHeader();
    if (mode === 'editor') {
      // After an undo or redo the database changed under the text: the editor starts again from it.
      if (editor) {
        const stale = editor;
        editor = null;
        await stale.dispose();
      }
      await openEditor();
      return;
    }
    const known = new Set(sections.map((s) => s.headingId));
    [sections, characters] = await Promise.all([app.api.sectionList(scriptId()), app.api.characterList(scriptId())]);
    // A scene that just appeared (added, or brought back by undo/redo) becomes the selected one.
    const appeared = known.size > 0 ? sections.filter((s) => !known.has(s.headingId)) : [];
    if (appeared.length === 1) selected = appeared[0]!.headingId;
    if (selected === null || !sections.some((s) => s.headingId === selected)) {
      // Undo may have re-created the selected scene under a new id.
      const resolved = selected === null ? null : app.undo.ids.resolve('section', selected);
      selected = sections.some((s) => s.headingId === resolved) ? resolved : (sections[0]?.headingId ?? null);
    }
    app.selection.headingId = selected;
    elements = selected === null ? [] : await app.api.elementList(selected);
    if (editing !== null && !elements.some((e) => e.elementId === editing)) editing = null;
    render();
  }

  async function select(headingId: number, focusPage = false): Promise<void> {
    selected = headingId;
    editing = null;
    renaming = null;
    focusAfter = focusPage ? '[data-testid="script-page"]' : sceneSelector(headingId);
    await refresh();
  }

  // ---- scenes ---------------------------------------------------------------------------

  async function addScene(): Promise<void> {
    const title = addInput.value.trim();
    if (!title) {
      app.showError({ code: 'invalid_input', message: 'Type a scene heading first, e.g. INT. KITCHEN - DAY.' });
      addInput.focus();
      return;
    }
    const id = await app.edit(addSection(scriptId(), title));
    if (id === undefined) return;
    addInput.value = '';
    selected = id;
    focusAfter = '[data-testid="scene-add-input"]';
    await refresh();
  }

  async function saveRename(s: SectionHeading, value: string): Promise<void> {
    renaming = null;
    const title = value.trim();
    if (title && title !== s.title) await app.edit(renameSection(s.headingId, s.title, title));
    focusAfter = sceneSelector(s.headingId);
    await refresh();
  }

  async function removeScene(s: SectionHeading): Promise<void> {
    const ok = await app.confirm({
      title: 'Delete scene?',
      message: `\u201C${s.title}\u201D and everything in it will be deleted. You can undo this.`,
      confirmLabel: 'Delete scene',
      danger: true,
    });
    if (!ok) return;
    const index = sections.findIndex((x) => x.headingId === s.headingId);
    if (!(await app.tryEdit(deleteSection(s.headingId)))) return;
    const neighbour = sections[index + 1] ?? sections[index - 1];
    selected = neighbour?.headingId ?? null;
    focusAfter = neighbour ? sceneSelector(neighbour.headingId) : '[data-testid="scene-add-input"]';
    await refresh();
  }

  async function reorder(next: number[] | null, focusId: number): Promise<void> {
    if (!next) return;
    const before = sections.map((s) => s.headingId);
    await app.edit(reorderSections(scriptId(), before, next));
    focusAfter = sceneSelector(focusId);
    await refresh();
  }

  function sceneSelector(id: number): string {
    return `[data-testid="scene-item"][data-heading-id="${id}"]`;
  }

  function sceneItem(s: SectionHeading, index: number): HTMLElement {
    const order = () => sections.map((x) => x.headingId);
    const isSelected = s.headingId === selected;
    if (renaming === s.headingId) {
      const input = h('input', {
        testid: 'scene-rename-input',
        class: 'input',
        props: { value: s.title },
        attrs: { type: 'text', 'aria-label': 'Scene heading' },
        onKeydown: (ev) => {
          if (ev.key === 'Enter') {
            ev.preventDefault();
            void saveRename(s, input.value);
          } else if (ev.key === 'Escape') {
            ev.preventDefault();
            renaming = null;
            focusAfter = sceneSelector(s.headingId);
            render();
          }
        },
        onBlur: () => {
          if (renaming === s.headingId) void saveRename(s, input.value);
        },
      });
      focusAfter = '[data-testid="scene-rename-input"]';
      return h('li', { class: 'scene-item renaming', testid: 'scene-item', data: { headingId: s.headingId } }, h('span', { class: 'scene-number' }, String(index + 1)), input);
    }
    const li = h(
      'li',
      {
        testid: 'scene-item',
        class: ['scene-item', isSelected && 'selected'],
        data: { headingId: s.headingId },
        attrs: { tabindex: 0, 'aria-current': isSelected ? 'true' : undefined, 'aria-label': `Scene ${index + 1}: ${s.title}` },
        onClick: (ev) => {
          if ((ev.target as HTMLElement).closest('button')) return;
          void select(s.headingId);
        },
        onDblclick: (ev) => {
          if ((ev.target as HTMLElement).closest('button')) return;
          renaming = s.headingId;
          render();
        },
        onKeydown: (ev) => {
          if (ev.target !== ev.currentTarget) return;
          if (ev.altKey && (ev.key === 'ArrowUp' || ev.key === 'ArrowDown')) {
            ev.preventDefault();
            void reorder(moved(order(), s.headingId, ev.key === 'ArrowUp' ? -1 : 1), s.headingId);
          } else if (ev.key === 'ArrowUp' || ev.key === 'ArrowDown') {
            ev.preventDefault();
            const next = sections[index + (ev.key === 'ArrowUp' ? -1 : 1)];
            if (next) sceneList.querySelector<HTMLElement>(sceneSelector(next.headingId))?.focus();
          } else if (ev.key === 'Enter' || ev.key === ' ') {
            ev.preventDefault();
            void select(s.headingId, ev.key === 'Enter' && isSelected);
          } else if (ev.key === 'F2') {
            ev.preventDefault();
            renaming = s.headingId;
            render();
          } else if (ev.key === 'Delete') {
            ev.preventDefault();
            void removeScene(s);
          }
        },
        onPointerdown: (ev: PointerEvent) => {
          if (ev.button !== 0 || (ev.target as HTMLElement).closest('button, input')) return;
          drag = { from: s.headingId, x: ev.clientX, y: ev.clientY, moving: false };
        },
      },
      h('span', { class: 'drag-handle', attrs: { 'aria-hidden': 'true' } }, '\u2807'),
      h('span', { class: 'scene-number' }, String(index + 1)),
      h('span', { class: 'scene-title', testid: 'scene-title' }, s.title),
      h(
        'span',
        { class: 'scene-actions' },
        button('\u270E', 'scene-rename', () => {
          renaming = s.headingId;
          render();
        }, { kind: 'small', title: `Rename ${s.title}` }),
        button('\u00D7', 'scene-delete', () => void removeScene(s), { kind: 'small', title: `Delete ${s.title}` }),
      ),
    );
    return li;
  }

  // Drag to reorder with pointer events rather than HTML5 drag-and-drop: they behave the same
  // with a mouse, a pen or a touch screen, and WebDriver can drive them in end-to-end tests.
  const sceneOrder = () => sections.map((x) => x.headingId);

  function sceneUnder(ev: PointerEvent): HTMLElement | null {
    const el = document.elementFromPoint(ev.clientX, ev.clientY);
    return el instanceof HTMLElement ? el.closest<HTMLElement>('[data-testid="scene-item"]') : null;
  }

  function clearDropMarks(): void {
    for (const x of sceneList.querySelectorAll('.drop-before, .drop-after, .dragging')) x.classList.remove('drop-before', 'drop-after', 'dragging');
  }

  function onPointerMove(ev: PointerEvent): void {
    if (!drag) return;
    if (!drag.moving && Math.hypot(ev.clientX - drag.x, ev.clientY - drag.y) < 5) return;
    drag.moving = true;
    clearDropMarks();
    sceneList.querySelector(sceneSelector(drag.from))?.classList.add('dragging');
    const target = sceneUnder(ev);
    const targetId = Number(target?.dataset.headingId);
    if (!target || targetId === drag.from) return;
    const down = sceneOrder().indexOf(drag.from) < sceneOrder().indexOf(targetId);
    target.classList.add(down ? 'drop-after' : 'drop-before');
  }

  function onPointerUp(ev: PointerEvent): void {
    const current = drag;
    drag = null;
    clearDropMarks();
    if (!current?.moving) return;
    const targetId = Number(sceneUnder(ev)?.dataset.headingId);
    if (!Number.isInteger(targetId) || targetId === current.from) return;
    void reorder(dropped(sceneOrder(), current.from, targetId), current.from);
  }

  const cancelDrag = () => {
    drag = null;
    clearDropMarks();
  };
  document.addEventListener('pointermove', onPointerMove);
  document.addEventListener('pointerup', onPointerUp);
  document.addEventListener('pointercancel', cancelDrag);
  cleanups.push(() => {
    document.removeEventListener('pointermove', onPointerMove);
    document.removeEventListener('pointerup', onPointerUp);
    document.removeEventListener('pointercancel', cancelDrag);
  });

  // ---- elements -------------------------------------------------------------------------

  function characterName(id: number | null): string {
    if (id === null) return '';
    return characters.find((c) => c.characterId === id)?.name ?? `#${id}`;
  }

  function elementSelector(id: number): string {
    return `[data-testid="element"][data-element-id="${id}"]`;
  }

  async function moveEl(e: Element, delta: number): Promise<void> {
    const from = elements.findIndex((x) => x.elementId === e.elementId) + 1;
    const to = from + delta;
    if (to < 1 || to > elements.length) return;
    await app.edit(moveElement(e.elementId, from, to));
    focusAfter = elementSelector(e.elementId);
    await refresh();
  }

  async function removeEl(e: Element): Promise<void> {
    const index = elements.findIndex((x) => x.elementId === e.elementId);
    if (!(await app.tryEdit(deleteElement(scriptId(), e)))) return;
    const neighbour = elements[index + 1] ?? elements[index - 1];
    focusAfter = neighbour ? elementSelector(neighbour.elementId) : '[data-testid="element-add-action"]';
    app.notify('Deleted. Press Ctrl+Z to undo.');
    await refresh();
  }

  async function saveEdit(e: Element, values: { text: string; parenthetical?: string; characterId?: number }): Promise<void> {
    if (editing !== e.elementId) return;
    editing = null;
    const before: ElementUpdate = {};
    const after: ElementUpdate = {};
    if (values.text !== e.text) {
      before.text = e.text;
      after.text = values.text;
    }
    if (values.parenthetical !== undefined && values.parenthetical.trim() !== (e.parenthetical ?? '')) {
      before.parenthetical = e.parenthetical ?? '';
      after.parenthetical = values.parenthetical.trim();
    }
    if (values.characterId !== undefined && values.characterId !== e.characterId && e.characterId !== null) {
      before.characterId = e.characterId;
      after.characterId = values.characterId;
    }
    focusAfter = elementSelector(e.elementId);
    if (Object.keys(after).length > 0) {
      const label = after.text !== undefined ? 'edit text' : after.characterId !== undefined ? 'change character' : 'edit parenthetical';
      await app.edit(updateElement(e.elementId, before, after, label));
    }
    await refresh();
  }

  function elementEditor(e: Element): HTMLElement {
    const text = h('textarea', { testid: 'element-edit-input', class: 'input page-input', props: { value: e.text }, attrs: { rows: Math.max(2, Math.ceil(e.text.length / 60)), 'aria-label': `${KIND_LABEL[e.kind]} text` } });
    const paren = e.kind === 'dialogue' ? h('input', { testid: 'element-edit-parenthetical', class: 'input page-input', props: { value: e.parenthetical ?? '' }, attrs: { type: 'text', placeholder: '(parenthetical)', 'aria-label': 'Parenthetical' } }) : null;
    const who =
      e.kind === 'dialogue' && e.characterId !== null
        ? h(
            'select',
            { testid: 'element-edit-character', class: 'input', attrs: { 'aria-label': 'Character' } },
            characters.map((c) => h('option', { props: { value: String(c.characterId), selected: c.characterId === e.characterId } }, c.name)),
          )
        : null;
    const values = () => ({ text: text.value, ...(paren ? { parenthetical: paren.value } : {}), ...(who ? { characterId: Number(who.value) } : {}) });
    const box = h(
      'div',
      {
        class: 'element-editor',
        testid: 'element-editor',
        onKeydown: (ev) => {
          if (ev.key === 'Enter' && !ev.shiftKey && ev.target !== who) {
            ev.preventDefault();
            void saveEdit(e, values());
          } else if (ev.key === 'Escape') {
            ev.preventDefault();
            ev.stopPropagation();
            editing = null;
            focusAfter = elementSelector(e.elementId);
            render();
          }
        },
        onFocusout: (ev) => {
          const next = ev.relatedTarget as Node | null;
          if (next && box.contains(next)) return;
          if (editing === e.elementId) void saveEdit(e, values());
        },
      },
      who,
      paren,
      text,
      h('div', { class: 'editor-hint' }, 'Enter saves \u00B7 Shift+Enter new line \u00B7 Esc cancels'),
    );
    focusAfter = '[data-testid="element-edit-input"]';
    return box;
  }

  function elementBody(e: Element): HTMLElement[] {
    const textEl = (cls: string) => h('div', { class: ['el-text', cls], testid: 'element-text' }, e.text);
    switch (e.kind) {
      case 'dialogue':
        return [
          h('div', { class: 'el-character', testid: 'element-character' }, characterName(e.characterId)),
          ...(e.parenthetical ? [h('div', { class: 'el-parenthetical', testid: 'element-parenthetical' }, `(${e.parenthetical})`)] : []),
          textEl('el-dialogue-text'),
        ];
      case 'lyrics':
        return [...(e.characterId !== null ? [h('div', { class: 'el-character', testid: 'element-character' }, characterName(e.characterId))] : []), textEl('el-lyrics')];
      case 'page_break':
        return [h('div', { class: 'el-text el-page-break', testid: 'element-text' }, '\u2014 page break \u2014')];
      default:
        return [textEl(`el-${e.kind}`)];
    }
  }

  function elementRow(e: Element, index: number): HTMLElement {
    if (editing === e.elementId) {
      return h('div', { class: ['el', `el-kind-${e.kind}`, 'editing'], testid: 'element', data: { elementId: e.elementId, kind: e.kind } }, elementEditor(e));
    }
    const startEdit = () => {
      if (e.kind === 'page_break') return;
      editing = e.elementId;
      render();
    };
    return h(
      'div',
      {
        testid: 'element',
        class: ['el', `el-kind-${e.kind}`],
        data: { elementId: e.elementId, kind: e.kind },
        attrs: { tabindex: 0, role: 'group', 'aria-label': `${KIND_LABEL[e.kind]}${e.characterId !== null ? ` \u2014 ${characterName(e.characterId)}` : ''}` },
        onKeydown: (ev) => {
          if (ev.target !== ev.currentTarget) return;
          if (ev.altKey && (ev.key === 'ArrowUp' || ev.key === 'ArrowDown')) {
            ev.preventDefault();
            void moveEl(e, ev.key === 'ArrowUp' ? -1 : 1);
          } else if (ev.key === 'ArrowUp' || ev.key === 'ArrowDown') {
            ev.preventDefault();
            const next = elements[index + (ev.key === 'ArrowUp' ? -1 : 1)];
            if (next) page.querySelector<HTMLElement>(elementSelector(next.elementId))?.focus();
          } else if (ev.key === 'Enter') {
            ev.preventDefault();
            startEdit();
          } else if (ev.key === 'Delete') {
            ev.preventDefault();
            void removeEl(e);
          }
        },
      },
      h('div', { class: 'el-body', onClick: startEdit }, elementBody(e)),
      h(
        'div',
        { class: 'el-tools' },
        h('span', { class: 'el-kind' }, KIND_LABEL[e.kind]),
        button('\u270E', 'element-edit', startEdit, { kind: 'small', title: 'Edit' }),
        button('\u2191', 'element-move-up', () => void moveEl(e, -1), { kind: 'small', title: 'Move up', disabled: index === 0 }),
        button('\u2193', 'element-move-down', () => void moveEl(e, 1), { kind: 'small', title: 'Move down', disabled: index === elements.length - 1 }),
        button('\u00D7', 'element-delete', () => void removeEl(e), { kind: 'small', title: 'Delete' }),
      ),
    );
  }

  // ---- composer -------------------------------------------------------------------------

  function openComposer(kind: ComposerKind): void {
    composer = kind;
    focusAfter = kind === 'dialogue' && characters.length > 0 && !composerCharacter ? '[data-testid="element-new-character"]' : '[data-testid="element-new-text"]';
    render();
  }

  function composerForm(kind: ComposerKind): HTMLElement {
    const text = h('textarea', {
      testid: 'element-new-text',
      class: 'input page-input',
      attrs: { rows: 3, placeholder: kind === 'action' ? 'What we see\u2026' : kind === 'dialogue' ? 'What they say\u2026' : 'CUT TO:', 'aria-label': `${KIND_LABEL[kind]} text` },
    });
    let who: HTMLSelectElement | null = null;
    let newName: HTMLInputElement | null = null;
    let paren: HTMLInputElement | null = null;
    const parts: HTMLElement[] = [];
    if (kind === 'dialogue') {
      if (!composerCharacter || (composerCharacter !== NEW_CHARACTER && !characters.some((c) => String(c.characterId) === composerCharacter))) {
        composerCharacter = characters[0] ? String(characters[0].characterId) : NEW_CHARACTER;
      }
      newName = h('input', { testid: 'element-new-character-name', class: 'input', attrs: { type: 'text', placeholder: 'NAME', 'aria-label': 'New character name' } });
      const nameField = field('New character', newName);
      nameField.hidden = composerCharacter !== NEW_CHARACTER;
      who = h(
        'select',
        {
          testid: 'element-new-character',
          class: 'input',
          attrs: { 'aria-label': 'Character' },
          onChange: () => {
            composerCharacter = who!.value;
            nameField.hidden = composerCharacter !== NEW_CHARACTER;
          },
        },
        characters.map((c) => h('option', { props: { value: String(c.characterId), selected: String(c.characterId) === composerCharacter } }, c.name)),
        h('option', { props: { value: NEW_CHARACTER, selected: composerCharacter === NEW_CHARACTER } }, 'New character\u2026'),
      );
      paren = h('input', { testid: 'element-new-parenthetical', class: 'input', attrs: { type: 'text', placeholder: 'e.g. beat, softly (optional)' } });
      parts.push(h('div', { class: 'composer-row' }, field('Character', who), nameField, field('Parenthetical', paren)));
    }
    parts.push(field(KIND_LABEL[kind], text));
    const submit = async () => {
      const body = text.value;
      if (!body.trim()) {
        app.showError({ code: 'invalid_input', message: `The ${KIND_LABEL[kind].toLowerCase()} needs some text.` });
        text.focus();
        return;
      }
      if (selected === null) return;
      let characterId: number | null = null;
      if (kind === 'dialogue') {
        if (composerCharacter === NEW_CHARACTER) {
          const name = newName!.value.trim();
          if (!name) {
            app.showError({ code: 'invalid_input', message: 'Give the new character a name.' });
            newName!.focus();
            return;
          }
          const created = await app.edit(createCharacter(scriptId(), { name }));
          if (!created) return;
          characterId = created.characterId;
          composerCharacter = String(created.characterId);
        } else {
          characterId = Number(composerCharacter);
        }
      }
      const added = await app.edit(addElement(selected, { kind, text: body, characterId, parenthetical: paren?.value.trim() || null }));
      if (!added) return;
      focusAfter = '[data-testid="element-new-text"]';
      await refresh();
    };
    return h(
      'form',
      {
        class: ['composer', `composer-${kind}`],
        testid: 'element-composer',
        attrs: { 'aria-label': `New ${KIND_LABEL[kind].toLowerCase()}` },
        onSubmit: (ev) => {
          ev.preventDefault();
          void submit();
        },
        onKeydown: (ev) => {
          if (ev.key === 'Enter' && !ev.shiftKey && ev.target instanceof HTMLTextAreaElement) {
            ev.preventDefault();
            void submit();
          } else if (ev.key === 'Escape') {
            ev.preventDefault();
            composer = null;
            focusAfter = `[data-testid="element-add-${kind}"]`;
            render();
          }
        },
      },
      parts,
      h(
        'div',
        { class: 'form-actions' },
        button('Done', 'element-new-cancel', () => {
          composer = null;
          render();
        }),
        h('button', { testid: 'element-new-submit', class: 'btn btn-primary', attrs: { type: 'submit' } }, `Add ${KIND_LABEL[kind].toLowerCase()}`),
      ),
    );
  }

  // ---- render ---------------------------------------------------------------------------

  function render(): void {
    if (body.firstChild !== structured) replace(body, structured);
    replace(sceneList, sections.map(sceneItem));
    const section = sections.find((s) => s.headingId === selected);
    if (!section) {
      replace(page, h('div', { class: 'empty page-empty', testid: 'script-empty' }, h('p', null, SCRIPT_EMPTY)));
    } else {
      const index = sections.indexOf(section);
      replace(
        page,
        h('div', { class: 'scene-heading', testid: 'scene-heading' }, h('span', { class: 'scene-heading-number' }, `${index + 1}.`), h('span', { class: 'scene-heading-text' }, section.title)),
        elements.length === 0 ? h('p', { class: 'empty scene-empty', testid: 'scene-empty' }, SCENE_EMPTY) : h('div', { class: 'elements', testid: 'element-list' }, elements.map(elementRow)),
        composer ? composerForm(composer) : null,
        h(
          'div',
          { class: 'add-bar', attrs: { role: 'toolbar', 'aria-label': 'Add to scene' } },
          button('+ Action', 'element-add-action', () => openComposer('action'), { kind: composer === 'action' ? 'primary' : undefined }),
          button('+ Dialogue', 'element-add-dialogue', () => openComposer('dialogue'), { kind: composer === 'dialogue' ? 'primary' : undefined }),
          button('+ Transition', 'element-add-transition', () => openComposer('transition'), { kind: composer === 'transition' ? 'primary' : undefined }),
        ),
      );
      page.setAttribute('tabindex', '-1');
      page.setAttribute('aria-label', `Scene ${index + 1}: ${section.title}`);
    }
    if (focusAfter) {
      const target = el.querySelector<HTMLElement>(focusAfter);
      focusAfter = null;
      target?.focus();
    }
  }

  // ---- modes, title and author ------------------------------------------------------------

  async function openEditor(): Promise<void> {
    // CodeMirror loads with the editor, not with the app's first screen.
    const { createEditorPane } = await import('./editor');
    if (mode !== 'editor' || editor) return;
    editor = createEditorPane(app);
    replace(body, editor.el);
    await editor.load();
  }

  async function flushEditor(): Promise<boolean> {
    return editor ? editor.flush() : true;
  }

  async function setMode(next: ScriptMode): Promise<void> {
    if (next === mode) return;
    mode = next;
    lastMode = next;
    if (editor) {
      const closing = editor;
      editor = null;
      await closing.dispose();
    }
    if (mode === 'scenes') focusAfter = selected !== null ? sceneSelector(selected) : '[data-testid="scene-add-input"]';
    await refresh();
  }

  function renderHeader(): void {
    for (const [name, b] of Object.entries(modeTabs)) {
      b.setAttribute('aria-selected', name === mode ? 'true' : 'false');
      b.classList.toggle('active', name === mode);
    }
    const script = app.script!;
    if (editingDetails) {
      const title = h('input', { testid: 'script-edit-title', class: 'input', props: { value: script.title }, attrs: { type: 'text', 'aria-label': 'Title' } });
      const author = h('input', { testid: 'script-edit-author', class: 'input', props: { value: script.author }, attrs: { type: 'text', 'aria-label': 'Author', placeholder: 'Author' } });
      const form = h(
        'form',
        {
          class: 'details-form',
          testid: 'script-edit-form',
          onSubmit: (ev) => {
            ev.preventDefault();
            void saveDetails(title.value, author.value);
          },
          onKeydown: (ev) => {
            if (ev.key === 'Escape') {
              ev.preventDefault();
              editingDetails = false;
              renderHeader();
            }
          },
        },
        title,
        author,
        h('button', { testid: 'script-edit-save', class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Save'),
        button('Cancel', 'script-edit-cancel', () => {
          editingDetails = false;
          renderHeader();
        }),
      );
      replace(details, form);
      title.focus();
      return;
    }
    replace(
      details,
      h('span', { class: 'details-title', testid: 'script-details-title' }, script.title),
      h('span', { class: 'details-author', testid: 'script-details-author' }, script.author ? `by ${script.author}` : ''),
      button('\u270E', 'script-details-edit', () => {
        editingDetails = true;
        renderHeader();
      }, { kind: 'small', title: 'Edit title and author' }),
    );
  }

  async function saveDetails(title: string, author: string): Promise<void> {
    const script = app.script!;
    editingDetails = false;
    const after: { title?: string; author?: string } = {};
    const before: { title?: string; author?: string } = {};
    if (title.trim() !== script.title) {
      before.title = script.title;
      after.title = title.trim();
    }
    if (author.trim() !== script.author) {
      before.author = script.author;
      after.author = author.trim();
    }
    if (Object.keys(after).length > 0 && (await app.edit(updateScript(script.scriptId, before, after))) !== undefined) {
      // The shell shows the title too: let it reload the script (the editor saves first).
      await flushEditor();
      await app.navigate('script');
      return;
    }
    renderHeader();
  }

  const onModeKey = (ev: KeyboardEvent) => {
    if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && !ev.shiftKey && ev.key.toLowerCase() === 'e') {
      ev.preventDefault();
      void setMode(mode === 'editor' ? 'scenes' : 'editor');
    }
  };
  document.addEventListener('keydown', onModeKey);
  cleanups.push(() => document.removeEventListener('keydown', onModeKey));
  cleanups.push(() => {
    if (editor) void editor.dispose();
    editor = null;
  });

  return { el, refresh, flush: flushEditor, dispose: () => cleanups.forEach((c) => c()) };
}
