// The fake backend's editor commands beyond the sync: the text with its revision, a merge
// over scenes (by heading, simpler than the core's), crash drafts, and the deletions that undo
// whole (element, character, session) with what they took along.

import type { Character, Context, Element, Paraphrase, Session } from '../src/api';
import { BackendError, type FakeBackend } from './fakeBackend';

type Args = Record<string, unknown>;

const HEADING = /^(INT|EXT|EST|I\/E)[. ]|^\.[^.]/i;

/** A text cut into its head (before the first heading) and scenes keyed by heading. */
function scenes(text: string): { head: string; scenes: { title: string; text: string }[] } {
  const out: { title: string; text: string }[] = [];
  let head = '';
  for (const line of text.split(/(?<=\n)/)) {
    if (HEADING.test(line.trim())) out.push({ title: line.trim().replace(/^\./, '').toUpperCase(), text: line });
    else if (out.length === 0) head += line;
    else out[out.length - 1]!.text += line;
  }
  return { head, scenes: out };
}

function joined(parts: string[]): string {
  return parts.map((p, i) => (i < parts.length - 1 && !p.endsWith('\n\n') ? p.replace(/\n?$/, '\n\n') : p)).join('');
}

export function mergeTexts(base: string, mine: string, theirs: string) {
  const [b, m, t] = [scenes(base), scenes(mine), scenes(theirs)];
  const find = (list: { title: string; text: string }[], title: string) => list.find((s) => s.title === title)?.text;
  const both: string[] = [];
  const parts = [m.head === b.head ? t.head : m.head];
  for (const s of t.scenes) {
    const [mt, bt] = [find(m.scenes, s.title), find(b.scenes, s.title)];
    if (mt === undefined) {
      if (bt === undefined || bt !== s.text) parts.push(s.text);
    } else if (mt === bt || mt === s.text) parts.push(s.text);
    else if (bt === s.text) parts.push(mt);
    else {
      parts.push(s.text);
      both.push(s.title);
    }
  }
  for (const s of m.scenes) if (find(t.scenes, s.title) === undefined && find(b.scenes, s.title) !== s.text) parts.push(s.text);
  return { text: joined(parts), both };
}

/** The fake's merge: by scene heading, a scene both changed keeps theirs (no line merge, no alts). */
function merge(f: FakeBackend, scriptId: number, base: string, mine: string): unknown {
  const theirs = f.handle('screenplay_fountain_text', { scriptId }) as string;
  const merged = mergeTexts(base, mine, theirs);
  const changed = scenes(theirs).scenes.filter((s) => !scenes(base).scenes.some((b) => b.text === s.text));
  const sync = f.handle('screenplay_sync', { scriptId, text: merged.text }) as object;
  const headingOf = (title: string) => f.sectionsOf(scriptId).find((s) => s.title === title)?.headingId ?? 0;
  const bothChanged = merged.both.map((title) => ({ headingId: headingOf(title), title, alts: [] }));
  const changedElsewhere = changed.map((s) => ({ headingId: headingOf(s.title), title: s.title, revision: f.script(scriptId).revision }));
  const conflict = merged.both.length === 0 ? null : { code: 'conflict', message: `your changes to ${merged.both.join(', ')} had been changed by another writer: theirs stand` };
  return { sync, text: merged.text, merged: true, changedElsewhere, bothChanged, titlePageBoth: false, conflict };
}

/** Where each element starts in the fake's text: the next line that holds its first line
 * (from the top of its block: the cue, for a line of dialogue). */
function elementLines(f: FakeBackend, scriptId: number, text: string): { elementId: number; line: number }[] {
  const rows = text.split('\n');
  let at = 0;
  const found: { elementId: number; line: number }[] = [];
  for (const section of f.sectionsOf(scriptId)) {
    for (const e of f.elementsOf(section.headingId)) {
      const first = (e.text ?? '').split('\n')[0]?.trim() ?? '';
      const i = first === '' ? -1 : rows.findIndex((r, j) => j >= at && r.includes(first));
      if (i < 0) continue;
      let start = i;
      while (start > at && rows[start - 1]!.trim() !== '') start--;
      found.push({ elementId: e.elementId, line: start + 1 });
      at = i + 1;
    }
  }
  return found;
}

export function handleEditing(f: FakeBackend, cmd: string, a: Args): unknown {
  const n = (k: string) => a[k] as number;
  switch (cmd) {
    case 'screenplay_editor_text': {
      const text = f.handle('screenplay_fountain_text', a) as string;
      return { text, revision: f.script(n('scriptId')).revision, lines: elementLines(f, n('scriptId'), text) };
    }
    case 'screenplay_pages': {
      // A stand-in for the core's paginator: a page every 50 lines of text.
      const { text, revision } = handleEditing(f, 'screenplay_editor_text', a) as { text: string; revision: number };
      const lines = text.split('\n').length;
      const breaks = [];
      for (let line = 51, page = 2; line <= lines; line += 50, page += 1) breaks.push({ page, line });
      return { scriptId: n('scriptId'), count: breaks.length + 1, titlePage: false, paper: (a['paper'] as string | undefined) ?? 'letter', revision, breaks };
    }
    case 'screenplay_merge':
      return merge(f, n('scriptId'), a['base'] as string, a['text'] as string);
    case 'screenplay_save': {
      const save = a['save'] as { text: string; baseText: string; baseRevision: number };
      const script = f.script(n('scriptId'));
      if (save.baseRevision !== script.revision) return merge(f, script.scriptId, save.baseText, save.text);
      const sync = f.handle('screenplay_sync', { scriptId: script.scriptId, text: save.text });
      return { sync, text: save.text, merged: false, changedElsewhere: [], bothChanged: [], titlePageBoth: false, conflict: null };
    }
    case 'draft_save': {
      f.script(n('scriptId'));
      const draft = { scriptId: n('scriptId'), text: a['text'], baseText: a['baseText'], baseRevision: n('baseRevision'), updatedAt: new Date().toISOString() };
      f.settings.set(`draft.script-${n('scriptId')}`, draft);
      return draft;
    }
    case 'draft_get':
      return f.settings.get(`draft.script-${n('scriptId')}`) ?? null;
    case 'draft_clear':
      f.settings.delete(`draft.script-${n('scriptId')}`);
      return null;
    case 'element_remove':
      return removeElement(f, n('elementId'));
    case 'element_restore':
      return restoreElement(f, a['removed'] as Removed<Element>);
    case 'character_remove':
      return removeCharacter(f, n('characterId'));
    case 'character_restore':
      return restoreCharacter(f, a['removed'] as Removed<Character>);
    case 'session_remove': {
      const session = f.sessions.find((s) => s.sessionId === n('sessionId')) ?? f.fail('not_found', `Session ${n('sessionId')} not found.`);
      const contexts = copies(f.contexts.filter((c) => c.sessionId === session.sessionId));
      f.handle('session_delete', a);
      return { session: { ...session }, contexts };
    }
    case 'session_restore': {
      const r = a['removed'] as { session: Session; contexts: Context[] };
      if (f.sessions.some((s) => s.sessionId === r.session.sessionId)) f.fail('conflict', `Session ${r.session.sessionId} exists already.`);
      f.sessions.push({ ...r.session });
      f.contexts.push(...copies(r.contexts));
      return { ...r.session };
    }
    default:
      return f.fail('invalid_input', `fake backend does not know ${cmd}`);
  }
}

interface Removed<T> {
  element?: T;
  character?: T;
  format?: unknown;
  paraphrases: Paraphrase[];
  contexts: Context[];
}

const copies = (contexts: Context[]) => contexts.map((c) => ({ ...c, data: { ...c.data } }));

function removeElement(f: FakeBackend, id: number): unknown {
  const e = f.element(id);
  const removed = {
    element: f.withIds(e),
    format: { elementId: id, extension: null, dual: false, continues: false, depth: null, source: null, sourceOf: null },
    paraphrases: f.paraphrases.filter((p) => p.originalType !== 'character' && p.originalId === id).map((p) => ({ ...p })),
    contexts: copies(f.contexts.filter((c) => c.elementId === id)),
  };
  f.handle('element_delete', { elementId: id });
  return removed;
}

function restoreElement(f: FakeBackend, r: Removed<Element>): unknown {
  const e = r.element!;
  if (!f.sections.some((s) => s.headingId === e.headingId)) f.fail('conflict', `The element cannot come back: its scene ${e.headingId} has been deleted since.`);
  if (f.elements.some((x) => x.elementId === e.elementId)) f.fail('conflict', `Element ${e.elementId} exists already.`);
  const list = f.elementsOf(e.headingId);
  const back: Element = { ...e };
  delete back.actionId;
  delete back.dialogueId;
  list.splice(Math.min(list.length, (e.sequenceNumber ?? list.length + 1) - 1), 0, back);
  f.elements.push(back);
  list.forEach((x, i) => (x.sequenceNumber = i + 1));
  f.paraphrases.push(...r.paraphrases.map((p) => ({ ...p })));
  f.contexts.push(...copies(r.contexts));
  return f.withIds(back);
}

function removeCharacter(f: FakeBackend, id: number): unknown {
  const c = f.character(id);
  const removed = {
    character: { ...c },
    paraphrases: f.paraphrases.filter((p) => p.originalType === 'character' && p.originalId === id).map((p) => ({ ...p })),
    contexts: copies(f.contexts.filter((x) => x.characterId === id)),
  };
  f.handle('character_delete', { characterId: id });
  return removed;
}

function restoreCharacter(f: FakeBackend, r: Removed<Character>): unknown {
  const c = r.character!;
  if (f.characters.some((x) => x.characterId === c.characterId)) f.fail('conflict', `Character ${c.characterId} exists already.`);
  if (f.charactersOf(c.scriptId).some((x) => x.name === c.name)) f.fail('conflict', `this script already has a character named "${c.name}"`);
  const list = f.charactersOf(c.scriptId);
  const back = { ...c };
  list.splice(Math.min(list.length, (c.sequenceNumber ?? list.length + 1) - 1), 0, back);
  f.characters.push(back);
  list.forEach((x, i) => (x.sequenceNumber = i + 1));
  f.paraphrases.push(...r.paraphrases.map((p) => ({ ...p })));
  f.contexts.push(...copies(r.contexts));
  return { ...back };
}

export { BackendError };
