// The form under the scene that adds an action, a line of dialogue (for a cast member or a
// character created on the spot) or a transition.

import { button, field, h, submitForm } from '../../dom';
import { addElement, createCharacter } from '../../undo';
import { KIND_LABEL, NEW_CHARACTER, type ComposerKind, type ScriptScope } from './scope';

/** The dialogue part of the form: who speaks (or the new character's name) and how. */
interface CueFields {
  row: HTMLElement;
  newName: HTMLInputElement;
  paren: HTMLInputElement;
}

export function openComposer(v: ScriptScope, kind: ComposerKind): void {
  const { state } = v;
  state.composer = kind;
  state.focusAfter = kind === 'dialogue' && state.characters.length > 0 && !state.composerCharacter ? '[data-testid="element-new-character"]' : '[data-testid="element-new-text"]';
  v.render();
}

function closeComposer(v: ScriptScope, focusAfter: string | null): void {
  v.state.composer = null;
  if (focusAfter) v.state.focusAfter = focusAfter;
  v.render();
}

/** Keeps the remembered speaker when it is still in the cast, else the first one (or a new one). */
function settleSpeaker(v: ScriptScope): void {
  const { state } = v;
  const known = state.characters.some((c) => String(c.characterId) === state.composerCharacter);
  if (!state.composerCharacter || (state.composerCharacter !== NEW_CHARACTER && !known)) {
    state.composerCharacter = state.characters[0] ? String(state.characters[0].characterId) : NEW_CHARACTER;
  }
}

function cueFields(v: ScriptScope): CueFields {
  const { state } = v;
  settleSpeaker(v);
  const newName = h('input', { testid: 'element-new-character-name', class: 'input', attrs: { type: 'text', placeholder: 'NAME', 'aria-label': 'New character name' } });
  const nameField = field('New character', newName);
  nameField.hidden = state.composerCharacter !== NEW_CHARACTER;
  const who: HTMLSelectElement = h(
    'select',
    {
      testid: 'element-new-character',
      class: 'input',
      attrs: { 'aria-label': 'Character' },
      onChange: () => {
        state.composerCharacter = who.value;
        nameField.hidden = state.composerCharacter !== NEW_CHARACTER;
      },
    },
    state.characters.map((c) => h('option', { props: { value: String(c.characterId), selected: String(c.characterId) === state.composerCharacter } }, c.name)),
    h('option', { props: { value: NEW_CHARACTER, selected: state.composerCharacter === NEW_CHARACTER } }, 'New character\u2026'),
  );
  const paren = h('input', { testid: 'element-new-parenthetical', class: 'input', attrs: { type: 'text', placeholder: 'e.g. beat, softly (optional)' } });
  return { row: h('div', { class: 'composer-row' }, field('Character', who), nameField, field('Parenthetical', paren)), newName, paren };
}

/** The speaker's id, creating the new character first when that is the choice; undefined when it cannot be had. */
async function speakerId(v: ScriptScope, cue: CueFields): Promise<number | undefined> {
  const { state } = v;
  if (state.composerCharacter !== NEW_CHARACTER) return Number(state.composerCharacter);
  const name = cue.newName.value.trim();
  if (!name) {
    v.app.showError({ code: 'invalid_input', message: 'Give the new character a name.' });
    cue.newName.focus();
    return undefined;
  }
  const created = await v.app.edit(createCharacter(v.scriptId(), { name }));
  if (!created) return undefined;
  state.composerCharacter = String(created.characterId);
  return created.characterId;
}

async function submit(v: ScriptScope, kind: ComposerKind, text: HTMLTextAreaElement, cue: CueFields | null): Promise<void> {
  const body = text.value;
  if (!body.trim()) {
    v.app.showError({ code: 'invalid_input', message: `The ${KIND_LABEL[kind].toLowerCase()} needs some text.` });
    text.focus();
    return;
  }
  const headingId = v.state.selected;
  if (headingId === null) return;
  let characterId: number | null = null;
  if (cue) {
    const id = await speakerId(v, cue);
    if (id === undefined) return;
    characterId = id;
  }
  const added = await v.app.edit(addElement(headingId, { kind, text: body, characterId, parenthetical: cue?.paren.value.trim() || null }));
  if (!added) return;
  v.state.focusAfter = '[data-testid="element-new-text"]';
  await v.refresh();
}

const PLACEHOLDER: Record<ComposerKind, string> = { action: 'What we see\u2026', dialogue: 'What they say\u2026', transition: 'CUT TO:' };

export function composerForm(v: ScriptScope, kind: ComposerKind): HTMLElement {
  const text = h('textarea', {
    testid: 'element-new-text',
    class: 'input page-input',
    attrs: { rows: 3, placeholder: PLACEHOLDER[kind], 'aria-label': `${KIND_LABEL[kind]} text` },
  });
  const cue = kind === 'dialogue' ? cueFields(v) : null;
  const send = () => void submit(v, kind, text, cue);
  return submitForm(
    {
      class: ['composer', `composer-${kind}`],
      testid: 'element-composer',
      attrs: { 'aria-label': `New ${KIND_LABEL[kind].toLowerCase()}` },
      onKeydown: (ev) => {
        if (ev.key === 'Enter' && !ev.shiftKey && ev.target instanceof HTMLTextAreaElement) {
          ev.preventDefault();
          send();
        } else if (ev.key === 'Escape') {
          ev.preventDefault();
          closeComposer(v, `[data-testid="element-add-${kind}"]`);
        }
      },
    },
    () => send(),
    cue?.row,
    field(KIND_LABEL[kind], text),
    h(
      'div',
      { class: 'form-actions' },
      button('Done', 'element-new-cancel', () => closeComposer(v, null)),
      h('button', { testid: 'element-new-submit', class: 'btn btn-primary', attrs: { type: 'submit' } }, `Add ${KIND_LABEL[kind].toLowerCase()}`),
    ),
  );
}
