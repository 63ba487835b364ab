// Undo of a deleted element, character or session is one core call: a backend that fails on
// it changes nothing, the step stays undoable once, and the next try brings everything back.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api } from '../src/api';
import { UndoStack, deleteCharacter, deleteElement, deleteSession } from '../src/undo';
import { BackendError, FakeBackend } from './fakeBackend';

let b: FakeBackend;
let stack: UndoStack;
let scriptId: number;
let headingId: number;

beforeEach(() => {
  b = new FakeBackend().install();
  scriptId = b.addScript('Test').scriptId;
  headingId = b.addSection(scriptId, 'INT. HOUSE - DAY').headingId;
  stack = new UndoStack(api);
});

afterEach(() => b.uninstall());

/** The fake's whole state, to prove a failed undo changed nothing. */
const state = () => JSON.stringify([b.elements, b.characters, b.paraphrases, b.sessions, b.contexts].map((rows) => rows.map((r) => JSON.stringify(r)).sort()));

async function failOnceThenUndo(restore: string, check: () => void): Promise<void> {
  const before = state();
  const depth = stack.undoDepth;
  b.failures.set(restore, new BackendError('database', 'disk I/O error'));
  await expect(stack.undo()).rejects.toMatchObject({ code: 'database' });
  expect(state()).toBe(before);
  expect(stack.undoDepth).toBe(depth);
  expect(stack.redoDepth).toBe(0);
  await stack.undo();
  expect(stack.undoDepth).toBe(depth - 1);
  check();
  expect(b.callsOf(restore)).toHaveLength(2);
}

describe('undo brings a deletion back whole, or not at all', () => {
  it('an element with its alt and context', async () => {
    const juliet = b.addCharacter(scriptId, 'JULIET').characterId;
    b.addElement(headingId, { kind: 'action', text: 'one' });
    const line = b.addElement(headingId, { kind: 'dialogue', text: 'hello', characterId: juliet, parenthetical: 'softly' });
    b.paraphrases.push({ paraphraseId: b.next.paraphrase++, originalType: 'spokenWord', originalId: line.elementId, text: 'hi', commentary: '', createdAt: '' });
    const session = b.addSession(scriptId, 's');
    b.setContext(session.sessionId, { elementId: line.elementId }, { mood: 'joy' });
    const whole = state();
    await stack.execute(deleteElement(scriptId, line));
    expect(b.paraphrases).toHaveLength(0);
    await failOnceThenUndo('element_restore', () => {
      expect(JSON.parse(state())).toEqual(JSON.parse(whole));
    });
  });

  it('a character with its music, alt and context, in its place', async () => {
    b.addCharacter(scriptId, 'ADA');
    const clara = b.addCharacter(scriptId, 'CLARA', 'a cellist');
    Object.assign(clara, { instrument: 42, leitmotif: [{ degree: 1, length: 2 }] });
    b.addCharacter(scriptId, 'DOV');
    b.paraphrases.push({ paraphraseId: b.next.paraphrase++, originalType: 'character', originalId: clara.characterId, text: 'a violinist', commentary: '', createdAt: '' });
    const session = b.addSession(scriptId, 's');
    b.setContext(session.sessionId, { characterId: clara.characterId }, { mood: 'warm' });
    const whole = JSON.parse(state());
    await stack.execute(deleteCharacter(scriptId, clara.characterId));
    await failOnceThenUndo('character_restore', () => {
      expect(JSON.parse(state())).toEqual(whole);
      expect(b.charactersOf(scriptId).map((c) => c.name)).toEqual(['ADA', 'CLARA', 'DOV']);
    });
  });

  it('a session with all its contexts', async () => {
    const session = b.addSession(scriptId, 'Dark reading');
    b.setContext(session.sessionId, { headingId }, { mood: 'dread' });
    const whole = JSON.parse(state());
    await stack.execute(deleteSession(session));
    expect(b.sessions).toHaveLength(0);
    await failOnceThenUndo('session_restore', () => {
      expect(JSON.parse(state())).toEqual(whole);
    });
  });
});
