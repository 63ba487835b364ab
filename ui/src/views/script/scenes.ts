// The Script view's scene navigator: select, add, rename, delete and reorder scenes (by
// drag-and-drop or Alt+Arrow keys).

import type { SectionHeading } from '../../api';
import { button, editField, h, submitForm } from '../../dom';
import { addSection, deleteSection, renameSection, reorderSections } from '../../undo';
import { isOpening, onRowKey, sceneSelector, type ScriptScope } from './scope';

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

const sceneOrder = (v: ScriptScope): number[] => v.state.sections.map((x) => x.headingId);

/** The navigator's panel: the scene list and the form that adds a scene. */
export function sceneNavigator(v: ScriptScope): HTMLElement {
  const addForm = submitForm(
    {
      class: 'scene-add',
    },
    () => void addScene(v),
    v.addInput,
    h('button', { testid: 'scene-add', class: 'btn btn-primary', attrs: { type: 'submit', title: 'Add scene heading' } }, '+ Scene'),
  );
  const hint = h('p', { class: 'hint' }, 'Drag scenes, or press Alt+\u2191/\u2193 on a scene, to reorder. F2 renames.');
  return h('aside', { class: 'scene-nav', attrs: { 'aria-label': 'Scene navigator' } }, h('h2', { class: 'panel-title' }, 'Scenes'), v.sceneList, addForm, hint);
}

export function sceneList(): HTMLElement {
  return h('ol', { class: 'scene-list', testid: 'scene-list', attrs: { 'aria-label': 'Scenes' } });
}

export function sceneAddInput(): HTMLInputElement {
  return h('input', {
    testid: 'scene-add-input',
    class: 'input',
    attrs: { type: 'text', placeholder: 'INT. KITCHEN - DAY', 'aria-label': 'New scene heading' },
  });
}

export async function selectScene(v: ScriptScope, headingId: number, focusPage = false): Promise<void> {
  v.state.selected = headingId;
  v.state.editing = null;
  v.state.renaming = null;
  v.state.focusAfter = focusPage ? '[data-testid="script-page"]' : sceneSelector(headingId);
  await v.refresh();
}

async function addScene(v: ScriptScope): Promise<void> {
  const title = v.addInput.value.trim();
  if (!title) {
    v.app.showError({ code: 'invalid_input', message: 'Type a scene heading first, e.g. INT. KITCHEN - DAY.' });
    v.addInput.focus();
    return;
  }
  const id = await v.app.edit(addSection(v.scriptId(), title));
  if (id === undefined) return;
  v.addInput.value = '';
  v.state.selected = id;
  v.state.focusAfter = '[data-testid="scene-add-input"]';
  await v.refresh();
}

async function saveRename(v: ScriptScope, s: SectionHeading, value: string): Promise<void> {
  v.state.renaming = null;
  const title = value.trim();
  if (title && title !== s.title) await v.app.edit(renameSection(s.headingId, s.title, title));
  v.state.focusAfter = sceneSelector(s.headingId);
  await v.refresh();
}

async function removeScene(v: ScriptScope, s: SectionHeading): Promise<void> {
  const ok = await v.app.confirm({
    title: 'Delete scene?',
    message: `\u201C${s.title}\u201D and everything in it will be deleted. You can undo this.`,
    confirmLabel: 'Delete scene',
    danger: true,
  });
  if (!ok) return;
  const { sections } = v.state;
  const index = sections.findIndex((x) => x.headingId === s.headingId);
  if (!(await v.app.tryEdit(deleteSection(s.headingId)))) return;
  const neighbour = sections[index + 1] ?? sections[index - 1];
  v.state.selected = neighbour?.headingId ?? null;
  v.state.focusAfter = neighbour ? sceneSelector(neighbour.headingId) : '[data-testid="scene-add-input"]';
  await v.refresh();
}

async function reorder(v: ScriptScope, next: number[] | null, focusId: number): Promise<void> {
  if (!next) return;
  await v.app.edit(reorderSections(v.scriptId(), sceneOrder(v), next));
  v.state.focusAfter = sceneSelector(focusId);
  await v.refresh();
}

function startRename(v: ScriptScope, s: SectionHeading): void {
  v.state.renaming = s.headingId;
  v.render();
}

/** The list row of a scene being renamed: its heading in a text field. */
function renameRow(v: ScriptScope, s: SectionHeading, index: number): HTMLElement {
  const input = editField({
    testid: 'scene-rename-input',
    value: s.title,
    label: 'Scene heading',
    save: (title) => void saveRename(v, s, title),
    cancel: () => {
      v.state.renaming = null;
      v.state.focusAfter = sceneSelector(s.headingId);
      v.render();
    },
    stillEditing: () => v.state.renaming === s.headingId,
  });
  v.state.focusAfter = '[data-testid="scene-rename-input"]';
  return h('li', { class: 'scene-item renaming', testid: 'scene-item', data: { headingId: s.headingId } }, h('span', { class: 'scene-number' }, String(index + 1)), input);
}

function onSceneKey(v: ScriptScope, s: SectionHeading, index: number, isSelected: boolean, ev: KeyboardEvent): void {
  const select = () => void selectScene(v, s.headingId, ev.key === 'Enter' && isSelected);
  onRowKey(ev, {
    move: (step) => void reorder(v, moved(sceneOrder(v), s.headingId, step), s.headingId),
    focus: (step) => {
      const next = v.state.sections[index + step];
      if (next) v.sceneList.querySelector<HTMLElement>(sceneSelector(next.headingId))?.focus();
    },
    keys: { Enter: select, ' ': select, F2: () => startRename(v, s), Delete: () => void removeScene(v, s) },
  });
}

const onButton = (ev: Event): boolean => (ev.target as HTMLElement).closest('button') !== null;

export function sceneItem(v: ScriptScope, s: SectionHeading, index: number): HTMLElement {
  if (v.state.renaming === s.headingId) return renameRow(v, s, index);
  const isSelected = s.headingId === v.state.selected;
  return h(
    'li',
    {
      testid: 'scene-item',
      class: ['scene-item', isSelected && 'selected'],
      data: { headingId: s.headingId },
      attrs: { tabindex: 0, 'aria-current': isSelected ? 'true' : undefined, 'aria-label': `Scene ${index + 1}: ${s.title}` },
      onClick: (ev) => {
        if (!onButton(ev)) void selectScene(v, s.headingId);
      },
      onDblclick: (ev) => {
        if (!onButton(ev)) startRename(v, s);
      },
      onKeydown: (ev) => onSceneKey(v, s, index, isSelected, ev),
      onPointerdown: (ev: PointerEvent) => {
        if (ev.button !== 0 || (ev.target as HTMLElement).closest('button, input')) return;
        v.state.drag = { from: s.headingId, x: ev.clientX, y: ev.clientY, moving: false };
      },
    },
    h('span', { class: 'drag-handle', attrs: { 'aria-hidden': 'true' } }, '\u2807'),
    h('span', { class: 'scene-number' }, String(index + 1)),
    h('span', { class: ['scene-title', isOpening(s) && 'scene-title-opening'], testid: 'scene-title' }, isOpening(s) ? 'Opening' : s.title),
    h(
      'span',
      { class: 'scene-actions' },
      button('\u25B6', 'scene-play', () => void v.app.live.playScript(v.scriptId(), v.app.sessionId, { kind: 'scene', headingId: s.headingId }), { kind: 'small', title: `Play from here (${s.title})` }),
      button('\u270E', 'scene-rename', () => startRename(v, s), { kind: 'small', title: `Rename ${s.title}` }),
      button('\u00D7', 'scene-delete', () => void removeScene(v, s), { kind: 'small', title: `Delete ${s.title}` }),
    ),
  );
}

// Drag to reorder with pointer events rather than HTML5 drag-and-drop: they behave the same
// with a mouse, a pen or a touch screen, and WebDriver can drive them in end-to-end tests.

function sceneUnder(ev: PointerEvent): HTMLElement | null {
  const el = document.elementFromPoint(ev.clientX, ev.clientY);
  return el instanceof HTMLElement ? el.closest<HTMLElement>('[data-testid="scene-item"]') : null;
}

function clearDropMarks(v: ScriptScope): void {
  for (const x of v.sceneList.querySelectorAll('.drop-before, .drop-after, .dragging')) x.classList.remove('drop-before', 'drop-after', 'dragging');
}

function onPointerMove(v: ScriptScope, ev: PointerEvent): void {
  const { drag } = v.state;
  if (!drag) return;
  if (!drag.moving && Math.hypot(ev.clientX - drag.x, ev.clientY - drag.y) < 5) return;
  drag.moving = true;
  clearDropMarks(v);
  v.sceneList.querySelector(sceneSelector(drag.from))?.classList.add('dragging');
  const target = sceneUnder(ev);
  const targetId = Number(target?.dataset.headingId);
  if (!target || targetId === drag.from) return;
  const down = sceneOrder(v).indexOf(drag.from) < sceneOrder(v).indexOf(targetId);
  target.classList.add(down ? 'drop-after' : 'drop-before');
}

function onPointerUp(v: ScriptScope, ev: PointerEvent): void {
  const current = v.state.drag;
  v.state.drag = null;
  clearDropMarks(v);
  if (!current?.moving) return;
  const targetId = Number(sceneUnder(ev)?.dataset.headingId);
  if (!Number.isInteger(targetId) || targetId === current.from) return;
  void reorder(v, dropped(sceneOrder(v), current.from, targetId), current.from);
}

/** Follows the pointer over the whole document while a scene is dragged; returns the cleanup. */
export function listenForDrags(v: ScriptScope): () => void {
  const move = (ev: PointerEvent) => onPointerMove(v, ev);
  const up = (ev: PointerEvent) => onPointerUp(v, ev);
  const cancel = () => {
    v.state.drag = null;
    clearDropMarks(v);
  };
  document.addEventListener('pointermove', move);
  document.addEventListener('pointerup', up);
  document.addEventListener('pointercancel', cancel);
  return () => {
    document.removeEventListener('pointermove', move);
    document.removeEventListener('pointerup', up);
    document.removeEventListener('pointercancel', cancel);
  };
}
