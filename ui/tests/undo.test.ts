import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api } from '../src/api';
import {
  IdMap,
  UndoStack,
  addElement,
  addParaphrase,
  addSection,
  createCharacter,
  deleteCharacter,
  deleteContext,
  deleteElement,
  deleteParaphrase,
  deleteSection,
  moveElement,
  promoteParaphrase,
  renameSection,
  reorderSections,
  setContext,
  updateCharacter,
  updateElement,
} from '../src/undo';
import { FakeBackend } from './fakeBackend';

let b: FakeBackend;
let stack: UndoStack;
let scriptId: number;
let headingId: number;
let juliet: number;

const texts = () => b.elementsOf(headingId).map((e) => e.text);

/** Undoes the last command and redoes it, checking the section's texts after each step. */
async function undoThenRedo(undone: string[], redone: string[]): Promise<void> {
  await stack.undo();
  expect(texts()).toEqual(undone);
  await stack.redo();
  expect(texts()).toEqual(redone);
}

beforeEach(() => {
  b = new FakeBackend().install();
  scriptId = b.addScript('Test').scriptId;
  headingId = b.addSection(scriptId, 'INT. HOUSE - DAY').headingId;
  juliet = b.addCharacter(scriptId, 'JULIET').characterId;
  stack = new UndoStack(api);
});

afterEach(() => b.uninstall());

describe('IdMap', () => {
  it('follows chains of re-created ids', () => {
    const ids = new IdMap();
    ids.remap('element', 5, 9);
    ids.remap('element', 5, 12); // 9 died and became 12
    expect(ids.resolve('element', 5)).toBe(12);
    expect(ids.resolve('element', 9)).toBe(12);
    expect(ids.resolve('element', 12)).toBe(12);
    expect(ids.resolve('section', 5)).toBe(5);
  });
});

describe('UndoStack with elements', () => {
  it('undoes and redoes an added element', async () => {
    const created = await stack.execute(addElement(headingId, { kind: 'action', text: 'A door opens.' }));
    expect(texts()).toEqual(['A door opens.']);
    expect(stack.canUndo).toBe(true);
    await stack.undo();
    expect(texts()).toEqual([]);
    expect(stack.canRedo).toBe(true);
    await stack.redo();
    expect(texts()).toEqual(['A door opens.']);
    // Redo re-created it under a new id, and the map knows.
    const now = b.elementsOf(headingId)[0]!.elementId;
    expect(now).not.toBe(created.elementId);
    expect(stack.ids.resolve('element', created.elementId)).toBe(now);
  });

  it('brings a deleted element back whole: kind, text, character, parenthetical, position, same id', async () => {
    b.addElement(headingId, { kind: 'action', text: 'one' });
    const line = b.addElement(headingId, { kind: 'dialogue', text: 'two', characterId: juliet, parenthetical: 'softly' });
    b.addElement(headingId, { kind: 'action', text: 'three' });
    await stack.execute(deleteElement(scriptId, line));
    expect(texts()).toEqual(['one', 'three']);
    await stack.undo();
    expect(texts()).toEqual(['one', 'two', 'three']);
    const back = b.elementsOf(headingId)[1]!;
    expect(back).toMatchObject({ kind: 'dialogue', characterId: juliet, parenthetical: 'softly' });
    // One core call puts it back (issue 12: same id, in one transaction), no re-add.
    expect(back.elementId).toBe(line.elementId);
    expect(b.callsOf('element_restore')).toHaveLength(1);
    expect(b.callsOf('element_add')).toHaveLength(0);
    await stack.redo();
    expect(texts()).toEqual(['one', 'three']);
  });

  it('brings back the alts and contexts of a deleted element', async () => {
    const line = b.addElement(headingId, { kind: 'dialogue', text: 'hello', characterId: juliet });
    b.paraphrases.push({ paraphraseId: b.next.paraphrase++, originalType: 'spokenWord', originalId: line.elementId, text: 'hi', commentary: 'shorter', createdAt: '' });
    const session = b.addSession(scriptId, 's');
    b.setContext(session.sessionId, { elementId: line.elementId }, { mood: 'joy' });
    await stack.execute(deleteElement(scriptId, line));
    expect(b.paraphrases).toHaveLength(0);
    expect(b.contexts).toHaveLength(0);
    await stack.undo();
    const now = stack.ids.resolve('element', line.elementId);
    expect(b.paraphrases).toMatchObject([{ originalId: now, text: 'hi', commentary: 'shorter' }]);
    expect(b.contextOf(session.sessionId, { elementId: now })?.data).toEqual({ mood: 'joy' });
  });

  it('undoes a text edit back to the old text, and redoes it', async () => {
    const e = b.addElement(headingId, { kind: 'action', text: 'old' });
    await stack.execute(updateElement(e.elementId, { text: 'old' }, { text: 'new' }));
    expect(texts()).toEqual(['new']);
    await undoThenRedo(['old'], ['new']);
  });

  it('undoes a parenthetical edit, removing one that was added', async () => {
    const e = b.addElement(headingId, { kind: 'dialogue', text: 'x', characterId: juliet });
    await stack.execute(updateElement(e.elementId, { parenthetical: '' }, { parenthetical: 'beat' }));
    expect(b.element(e.elementId).parenthetical).toBe('beat');
    await stack.undo();
    expect(b.element(e.elementId).parenthetical).toBeNull();
  });

  it('undoes a move', async () => {
    const first = b.addElement(headingId, { kind: 'action', text: 'a' });
    b.addElement(headingId, { kind: 'action', text: 'b' });
    b.addElement(headingId, { kind: 'action', text: 'c' });
    await stack.execute(moveElement(first.elementId, 1, 3));
    expect(texts()).toEqual(['b', 'c', 'a']);
    await undoThenRedo(['a', 'b', 'c'], ['b', 'c', 'a']);
  });

  it('a new edit clears the redo stack', async () => {
    await stack.execute(addElement(headingId, { kind: 'action', text: 'one' }));
    await stack.execute(addElement(headingId, { kind: 'action', text: 'two' }));
    await stack.undo();
    expect(stack.canRedo).toBe(true);
    await stack.execute(addElement(headingId, { kind: 'action', text: 'three' }));
    expect(stack.canRedo).toBe(false);
    expect(await stack.redo()).toBeNull();
    expect(texts()).toEqual(['one', 'three']);
  });

  it('keeps the last steps up to its limit (at least 50)', async () => {
    expect(stack.limit).toBeGreaterThanOrEqual(50);
    const small = new UndoStack(api, 50);
    const e = b.addElement(headingId, { kind: 'action', text: 't0' });
    for (let i = 1; i <= 60; i++) await small.execute(updateElement(e.elementId, { text: `t${i - 1}` }, { text: `t${i}` }));
    expect(small.undoDepth).toBe(50);
    let undone = 0;
    while (await small.undo()) undone++;
    expect(undone).toBe(50);
    expect(texts()).toEqual(['t10']);
    // And redo all the way forward again.
    while (await small.redo()) undone--;
    expect(undone).toBe(0);
    expect(texts()).toEqual(['t60']);
  });

  it('keeps ids across delete -> undo -> edit -> undo', async () => {
    const e = b.addElement(headingId, { kind: 'action', text: 'original' });
    await stack.execute(deleteElement(scriptId, e));
    await stack.undo(); // restored under its own id
    const reborn = stack.ids.resolve('element', e.elementId);
    expect(reborn).toBe(e.elementId);
    // The view now edits the re-created element (by its new id).
    await stack.execute(updateElement(reborn, { text: 'original' }, { text: 'edited' }));
    expect(texts()).toEqual(['edited']);
    // Undo the edit, then redo it: the redo chain works on the new id too.
    await undoThenRedo(['original'], ['edited']);
  });

  it('remaps ids when an older entry refers to a re-created element', async () => {
    const added = await stack.execute(addElement(headingId, { kind: 'action', text: 'v1' }));
    await stack.execute(updateElement(added.elementId, { text: 'v1' }, { text: 'v2' }));
    await stack.execute(deleteElement(scriptId, { elementId: added.elementId, headingId }));
    expect(texts()).toEqual([]);
    await stack.undo(); // re-add (new id)
    await stack.undo(); // edit back to v1: must find the new id
    expect(texts()).toEqual(['v1']);
    await stack.undo(); // remove the add: must find the new id too
    expect(texts()).toEqual([]);
    await stack.redo(); // add again (third id)
    await stack.redo(); // edit to v2 on the third id
    await stack.redo(); // delete the third id
    expect(texts()).toEqual([]);
    await stack.undo();
    expect(texts()).toEqual(['v2']);
    expect(b.elementsOf(headingId)).toHaveLength(1);
  });

  it('keeps a failed undo on the stack and reports the error', async () => {
    const e = b.addElement(headingId, { kind: 'action', text: 'a' });
    await stack.execute(updateElement(e.elementId, { text: 'a' }, { text: 'b' }));
    b.failures.set('element_update', { code: 'io', message: 'disk full' });
    await expect(stack.undo()).rejects.toMatchObject({ message: 'disk full' });
    expect(stack.canUndo).toBe(true);
    await stack.undo();
    expect(texts()).toEqual(['a']);
  });

  it('records nothing when the edit itself fails', async () => {
    await expect(stack.execute(addElement(headingId, { kind: 'dialogue', text: 'no one speaks' }))).rejects.toMatchObject({ code: 'invalid_input' });
    expect(stack.canUndo).toBe(false);
  });
});

describe('UndoStack with scenes', () => {
  it('undoes add, rename and reorder of scenes', async () => {
    const second = await stack.execute(addSection(scriptId, 'EXT. GARDEN - NIGHT'));
    await stack.execute(renameSection(second, 'EXT. GARDEN - NIGHT', 'EXT. ORCHARD - NIGHT'));
    const titles = () => b.sectionsOf(scriptId).map((s) => s.title);
    expect(titles()).toEqual(['INT. HOUSE - DAY', 'EXT. ORCHARD - NIGHT']);
    await stack.execute(reorderSections(scriptId, [headingId, second], [second, headingId]));
    expect(titles()).toEqual(['EXT. ORCHARD - NIGHT', 'INT. HOUSE - DAY']);
    await stack.undo();
    expect(titles()).toEqual(['INT. HOUSE - DAY', 'EXT. ORCHARD - NIGHT']);
    await stack.undo();
    expect(titles()).toEqual(['INT. HOUSE - DAY', 'EXT. GARDEN - NIGHT']);
    await stack.undo();
    expect(titles()).toEqual(['INT. HOUSE - DAY']);
    await stack.redo();
    await stack.redo();
    await stack.redo();
    expect(titles()).toEqual(['EXT. ORCHARD - NIGHT', 'INT. HOUSE - DAY']);
  });

  it('restores a deleted scene in its place with its elements and contexts', async () => {
    const other = b.addSection(scriptId, 'INT. HALL - DAY').headingId;
    b.addElement(headingId, { kind: 'action', text: 'first' });
    b.addElement(headingId, { kind: 'dialogue', text: 'second', characterId: juliet, parenthetical: 'beat' });
    const session = b.addSession(scriptId, 's');
    b.setContext(session.sessionId, { headingId }, { mood: 'fear', location: 'house' });
    b.setContext(session.sessionId, { headingId, characterId: juliet }, { mood: 'anger' });
    await stack.execute(deleteSection(headingId));
    expect(b.sectionsOf(scriptId).map((s) => s.headingId)).toEqual([other]);
    const calls = b.calls.length;
    await stack.undo();
    // One call: the core puts the scene back atomically, under its old id.
    expect(b.calls.slice(calls).map((c) => c.cmd)).toEqual(['section_restore']);
    const restored = stack.ids.resolve('section', headingId);
    expect(restored).toBe(headingId);
    expect(b.sectionsOf(scriptId).map((s) => s.headingId)).toEqual([restored, other]);
    expect(b.elementsOf(restored).map((e) => [e.kind, e.text, e.parenthetical])).toEqual([
      ['action', 'first', null],
      ['dialogue', 'second', 'beat'],
    ]);
    expect(b.contextOf(session.sessionId, { headingId: restored })?.data).toEqual({ location: 'house', mood: 'fear' });
    expect(b.contextOf(session.sessionId, { headingId: restored, characterId: juliet })?.data).toEqual({ mood: 'anger' });
    await stack.redo();
    expect(b.sectionsOf(scriptId)).toHaveLength(1);
  });
});

describe('UndoStack with characters and alts', () => {
  it('undoes create, edit and delete of characters', async () => {
    const romeo = await stack.execute(createCharacter(scriptId, { name: 'ROMEO' }));
    await stack.execute(updateCharacter(romeo.characterId, { description: '' }, { description: 'A Montague' }));
    expect(b.character(romeo.characterId).description).toBe('A Montague');
    await stack.execute(deleteCharacter(scriptId, juliet));
    expect(b.charactersOf(scriptId).map((c) => c.name)).toEqual(['ROMEO']);
    await stack.undo();
    // JULIET is back, first again, under a new id.
    expect(b.charactersOf(scriptId).map((c) => c.name)).toEqual(['JULIET', 'ROMEO']);
    await stack.undo();
    expect(b.character(romeo.characterId).description).toBe('');
    await stack.undo();
    expect(b.charactersOf(scriptId).map((c) => c.name)).toEqual(['JULIET']);
  });

  it('does not record a refused character delete', async () => {
    b.addElement(headingId, { kind: 'dialogue', text: 'hi', characterId: juliet });
    await expect(stack.execute(deleteCharacter(scriptId, juliet))).rejects.toMatchObject({ code: 'conflict' });
    expect(stack.canUndo).toBe(false);
  });

  it('undoes adding, deleting and using an alt', async () => {
    const line = b.addElement(headingId, { kind: 'dialogue', text: 'Wherefore art thou?', characterId: juliet });
    const alt = await stack.execute(addParaphrase('spokenWord', line.elementId, 'Why are you?', 'plainer'));
    await stack.execute(promoteParaphrase(alt.paraphraseId));
    expect(b.element(line.elementId).text).toBe('Why are you?');
    expect(b.paraphrases[0]!.text).toBe('Wherefore art thou?');
    await stack.undo();
    expect(b.element(line.elementId).text).toBe('Wherefore art thou?');
    expect(b.paraphrases[0]!.text).toBe('Why are you?');
    await stack.execute(deleteParaphrase({ ...b.paraphrases[0]! }));
    expect(b.paraphrases).toHaveLength(0);
    await stack.undo();
    expect(b.paraphrases).toMatchObject([{ text: 'Why are you?', commentary: 'plainer' }]);
    await stack.undo(); // the add, through the remapped id
    expect(b.paraphrases).toHaveLength(0);
  });
});

describe('UndoStack with contexts', () => {
  it('undo sets old values back and unsets new keys', async () => {
    const session = b.addSession(scriptId, 's').sessionId;
    b.setContext(session, { headingId }, { mood: 'joy', location: 'kitchen' });
    await stack.execute(setContext(session, { headingId }, { mood: 'fear', weather: 'storm' }, ['location']));
    expect(b.contextOf(session, { headingId })?.data).toEqual({ mood: 'fear', weather: 'storm' });
    await stack.undo();
    expect(b.contextOf(session, { headingId })?.data).toEqual({ location: 'kitchen', mood: 'joy' });
    expect(b.callsOf('context_set').at(-1)).toMatchObject({ data: { mood: 'joy', location: 'kitchen' }, unset: ['weather'] });
    await stack.redo();
    expect(b.contextOf(session, { headingId })?.data).toEqual({ mood: 'fear', weather: 'storm' });
  });

  it('undoes clearing a whole context', async () => {
    const session = b.addSession(scriptId, 's').sessionId;
    b.setContext(session, { headingId, characterId: juliet }, { mood: 'longing' });
    await stack.execute(deleteContext(session, { headingId, characterId: juliet }));
    expect(b.contexts).toHaveLength(0);
    await stack.undo();
    expect(b.contextOf(session, { headingId, characterId: juliet })?.data).toEqual({ mood: 'longing' });
  });

  it('context edits still apply to a restored scene', async () => {
    const session = b.addSession(scriptId, 's').sessionId;
    await stack.execute(setContext(session, { headingId }, { mood: 'joy' }));
    await stack.execute(deleteSection(headingId));
    await stack.undo();
    expect(b.contextOf(session, { headingId })?.data).toEqual({ mood: 'joy' });
    await stack.undo(); // unset mood on the restored scene
    const now = stack.ids.resolve('section', headingId);
    expect(now).toBe(headingId);
    expect(b.contextOf(session, { headingId: now })?.data).toEqual({});
  });
});

describe('UndoStack plumbing', () => {
  it('serialises rapid undo presses and notifies listeners', async () => {
    let changes = 0;
    stack.onChange(() => changes++);
    for (const t of ['a', 'b', 'c']) await stack.execute(addElement(headingId, { kind: 'action', text: t }));
    await Promise.all([stack.undo(), stack.undo(), stack.undo()]);
    expect(texts()).toEqual([]);
    expect(changes).toBe(6);
    expect(stack.undoLabel).toBeNull();
    expect(stack.redoLabel).toBe('add action');
    stack.clear();
    expect(stack.canRedo).toBe(false);
  });
});
