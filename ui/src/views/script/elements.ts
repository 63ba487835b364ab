// The selected scene's elements, formatted like a screenplay page: edit one in place, move it
// (Alt+Arrow keys or the arrows) or delete it.

import type { Element, ElementUpdate } from '../../api';
import { button, h } from '../../dom';
import { emphasised } from '../../emphasis';
import { deleteElement, moveElement, updateElement } from '../../undo';
import { characterName, elementSelector, KIND_LABEL, onRowKey, type ScriptScope } from './scope';

/** What the in-place editor holds; a field is absent when the element has no such field. */
interface EditValues {
  text: string;
  parenthetical?: string;
  characterId?: number;
}

async function moveEl(v: ScriptScope, e: Element, delta: number): Promise<void> {
  const { elements } = v.state;
  const from = elements.findIndex((x) => x.elementId === e.elementId) + 1;
  const to = from + delta;
  if (to < 1 || to > elements.length) return;
  await v.app.edit(moveElement(e.elementId, from, to));
  v.state.focusAfter = elementSelector(e.elementId);
  await v.refresh();
}

async function removeEl(v: ScriptScope, e: Element): Promise<void> {
  const { elements } = v.state;
  const index = elements.findIndex((x) => x.elementId === e.elementId);
  if (!(await v.app.tryEdit(deleteElement(v.scriptId(), e)))) return;
  const neighbour = elements[index + 1] ?? elements[index - 1];
  v.state.focusAfter = neighbour ? elementSelector(neighbour.elementId) : '[data-testid="element-add-action"]';
  v.app.notify('Deleted. Press Ctrl+Z to undo.');
  await v.refresh();
}

/** The fields `values` changes in `e`, as they were and as they become. */
function changes(e: Element, values: EditValues): { before: ElementUpdate; after: ElementUpdate } {
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
  return { before, after };
}

async function saveEdit(v: ScriptScope, e: Element, values: EditValues): Promise<void> {
  if (v.state.editing !== e.elementId) return;
  v.state.editing = null;
  const { before, after } = changes(e, values);
  v.state.focusAfter = elementSelector(e.elementId);
  if (Object.keys(after).length > 0) {
    const label = after.text !== undefined ? 'edit text' : after.characterId !== undefined ? 'change character' : 'edit parenthetical';
    if (!(await v.app.tryEdit(updateElement(e.elementId, before, after, label)))) {
      // Not saved: the editor stays open with what was typed.
      v.state.unsaved = { elementId: e.elementId, ...values };
      v.state.editing = e.elementId;
      v.render();
      return;
    }
  }
  v.state.unsaved = null;
  await v.refresh();
}

/** The editor's fields: the text, and for dialogue its parenthetical and character. */
function editorFields(v: ScriptScope, e: Element): { text: HTMLTextAreaElement; paren: HTMLInputElement | null; who: HTMLSelectElement | null } {
  const typed = v.state.unsaved?.elementId === e.elementId ? v.state.unsaved : null;
  const text = h('textarea', { testid: 'element-edit-input', class: 'input page-input', props: { value: typed?.text ?? e.text }, attrs: { rows: Math.max(2, Math.ceil(e.text.length / 60)), 'aria-label': `${KIND_LABEL[e.kind]} text` } });
  const paren = e.kind === 'dialogue' ? h('input', { testid: 'element-edit-parenthetical', class: 'input page-input', props: { value: typed?.parenthetical ?? e.parenthetical ?? '' }, attrs: { type: 'text', placeholder: '(parenthetical)', 'aria-label': 'Parenthetical' } }) : null;
  const who =
    e.kind === 'dialogue' && e.characterId !== null
      ? h(
          'select',
          { testid: 'element-edit-character', class: 'input', attrs: { 'aria-label': 'Character' } },
          v.state.characters.map((c) => h('option', { props: { value: String(c.characterId), selected: c.characterId === (typed?.characterId ?? e.characterId) } }, c.name)),
        )
      : null;
  return { text, paren, who };
}

function elementEditor(v: ScriptScope, e: Element): HTMLElement {
  const { text, paren, who } = editorFields(v, e);
  const values = (): EditValues => ({ text: text.value, ...(paren ? { parenthetical: paren.value } : {}), ...(who ? { characterId: Number(who.value) } : {}) });
  const box = h(
    'div',
    {
      class: 'element-editor',
      testid: 'element-editor',
      onKeydown: (ev) => {
        if (ev.key === 'Enter' && !ev.shiftKey && ev.target !== who) {
          ev.preventDefault();
          void saveEdit(v, e, values());
        } else if (ev.key === 'Escape') {
          ev.preventDefault();
          ev.stopPropagation();
          v.state.editing = null;
          v.state.unsaved = null;
          v.state.focusAfter = elementSelector(e.elementId);
          v.render();
        }
      },
      onFocusout: (ev) => {
        const next = ev.relatedTarget as Node | null;
        if (next && box.contains(next)) return;
        if (v.state.editing === e.elementId) void saveEdit(v, e, values());
      },
    },
    who,
    paren,
    text,
    h('div', { class: 'editor-hint' }, 'Enter saves \u00B7 Shift+Enter new line \u00B7 Esc cancels'),
  );
  v.state.focusAfter = '[data-testid="element-edit-input"]';
  return box;
}

function elementBody(v: ScriptScope, e: Element): HTMLElement[] {
  const textEl = (cls: string) => h('div', { class: ['el-text', cls], testid: 'element-text' }, emphasised(e.text));
  const cue = () => h('div', { class: 'el-character', testid: 'element-character' }, characterName(v.state, e.characterId));
  switch (e.kind) {
    case 'dialogue':
      return [cue(), ...(e.parenthetical ? [h('div', { class: 'el-parenthetical', testid: 'element-parenthetical' }, `(${e.parenthetical})`)] : []), textEl('el-dialogue-text')];
    case 'lyrics':
      return [...(e.characterId !== null ? [cue()] : []), textEl('el-lyrics')];
    case 'page_break':
      return [h('div', { class: 'el-text el-page-break', testid: 'element-text' }, '\u2014 page break \u2014')];
    default:
      return [textEl(`el-${e.kind}`)];
  }
}

function startEdit(v: ScriptScope, e: Element): void {
  if (e.kind === 'page_break') return;
  v.state.editing = e.elementId;
  v.render();
}

function onElementKey(v: ScriptScope, e: Element, index: number, ev: KeyboardEvent): void {
  onRowKey(ev, {
    move: (step) => void moveEl(v, e, step),
    focus: (step) => {
      const next = v.state.elements[index + step];
      if (next) v.page.querySelector<HTMLElement>(elementSelector(next.elementId))?.focus();
    },
    keys: { Enter: () => startEdit(v, e), Delete: () => void removeEl(v, e) },
  });
}

function elementTools(v: ScriptScope, e: Element, index: number): HTMLElement {
  return h(
    'div',
    { class: 'el-tools' },
    h('span', { class: 'el-kind' }, KIND_LABEL[e.kind]),
    button('\u25B6', 'element-play', () => void v.app.live.playScript(v.scriptId(), v.app.sessionId, { kind: 'line', elementId: e.elementId }), { kind: 'small', title: 'Play from here' }),
    button('\u270E', 'element-edit', () => startEdit(v, e), { kind: 'small', title: 'Edit' }),
    button('\u2191', 'element-move-up', () => void moveEl(v, e, -1), { kind: 'small', title: 'Move up', disabled: index === 0 }),
    button('\u2193', 'element-move-down', () => void moveEl(v, e, 1), { kind: 'small', title: 'Move down', disabled: index === v.state.elements.length - 1 }),
    button('\u00D7', 'element-delete', () => void removeEl(v, e), { kind: 'small', title: 'Delete' }),
  );
}

export function elementRow(v: ScriptScope, e: Element, index: number): HTMLElement {
  if (v.state.editing === e.elementId) {
    return h('div', { class: ['el', `el-kind-${e.kind}`, 'editing'], testid: 'element', data: { elementId: e.elementId, kind: e.kind } }, elementEditor(v, e));
  }
  const who = e.characterId !== null ? ` \u2014 ${characterName(v.state, e.characterId)}` : '';
  return h(
    'div',
    {
      testid: 'element',
      class: ['el', `el-kind-${e.kind}`],
      data: { elementId: e.elementId, kind: e.kind },
      attrs: { tabindex: 0, role: 'group', 'aria-label': `${KIND_LABEL[e.kind]}${who}` },
      onKeydown: (ev) => onElementKey(v, e, index, ev),
    },
    h('div', { class: 'el-body', onClick: () => startEdit(v, e) }, elementBody(v, e)),
    elementTools(v, e, index),
  );
}
