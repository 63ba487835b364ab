// Undo/redo as a command stack. Every user edit is a Command that knows how to do itself
// (again) and how to undo itself through the same API the UI uses.
//
// Re-creating something (undoing a delete, redoing an add) gives it a NEW id. Commands
// therefore remember the ids they saw first and resolve them through an IdMap at the time
// they run: old id -> new id, followed as a chain.

import type {
  Api,
  Character,
  CharacterUpdate,
  Context,
  ContextData,
  ContextTarget,
  ContextValues,
  Element,
  ElementUpdate,
  NewCharacter,
  NewElement,
  Paraphrase,
  ParaphraseType,
  RemovedCharacter,
  RemovedElement,
  RemovedSection,
  RemovedSession,
  MoodReview,
  SceneMoods,
  Script,
  Session,
  SessionUpdate,
  ScriptUpdate,
} from './api';

export type IdKind = 'section' | 'element' | 'character' | 'paraphrase' | 'session';

export class IdMap {
  private readonly maps: Record<IdKind, Map<number, number>> = {
    section: new Map(),
    element: new Map(),
    character: new Map(),
    paraphrase: new Map(),
    session: new Map(),
  };

  /** The id that `id` is known by now. */
  resolve(kind: IdKind, id: number): number {
    const map = this.maps[kind];
    let current = id;
    for (let hops = 0; hops < 10_000; hops++) {
      const next = map.get(current);
      if (next === undefined || next === current) return current;
      current = next;
    }
    return current;
  }

  /** Records that whatever `oldId` stood for is now `newId`. */
  remap(kind: IdKind, oldId: number, newId: number): void {
    const from = this.resolve(kind, oldId);
    if (from !== newId) this.maps[kind].set(from, newId);
  }

  clear(): void {
    for (const map of Object.values(this.maps)) map.clear();
  }
}

export interface UndoEnv {
  api: Api;
  ids: IdMap;
}

export interface Command<T = unknown> {
  readonly label: string;
  /** Does the edit (first time) or redoes it. */
  run(env: UndoEnv): Promise<T>;
  undo(env: UndoEnv): Promise<void>;
}

type Listener = () => void;

/** The default depth: the brief asks for at least 50 steps. */
export const UNDO_LIMIT = 100;

export class UndoStack {
  readonly ids = new IdMap();
  private done: Command[] = [];
  private undone: Command[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly api: Api,
    readonly limit: number = UNDO_LIMIT,
  ) {}

  private get env(): UndoEnv {
    return { api: this.api, ids: this.ids };
  }

  /** Runs one thing after the other, so rapid Ctrl+Z presses never interleave. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Does an edit and records it. A failed edit records nothing. A new edit clears redo. */
  execute<T>(command: Command<T>): Promise<T> {
    return this.serial(async () => {
      const result = await command.run(this.env);
      this.done.push(command as Command);
      if (this.done.length > this.limit) this.done.splice(0, this.done.length - this.limit);
      this.undone = [];
      this.emit();
      return result;
    });
  }

  /** Undoes the last edit; null when there is none. On failure the edit stays undoable. */
  undo(): Promise<Command | null> {
    return this.serial(async () => {
      const command = this.done.pop();
      if (!command) return null;
      try {
        await command.undo(this.env);
      } catch (err) {
        this.done.push(command);
        throw err;
      }
      this.undone.push(command);
      this.emit();
      return command;
    });
  }

  redo(): Promise<Command | null> {
    return this.serial(async () => {
      const command = this.undone.pop();
      if (!command) return null;
      try {
        await command.run(this.env);
      } catch (err) {
        this.undone.push(command);
        throw err;
      }
      this.done.push(command);
      this.emit();
      return command;
    });
  }

  /** Forgets all history (another script was opened, or a version restored). */
  clear(): void {
    this.done = [];
    this.undone = [];
    this.ids.clear();
    this.emit();
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }
  get canRedo(): boolean {
    return this.undone.length > 0;
  }
  get undoDepth(): number {
    return this.done.length;
  }
  get redoDepth(): number {
    return this.undone.length;
  }
  get undoLabel(): string | null {
    return this.done[this.done.length - 1]?.label ?? null;
  }
  get redoLabel(): string | null {
    return this.undone[this.undone.length - 1]?.label ?? null;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

// ---- helpers ------------------------------------------------------------------------------

function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}

function resolveTarget(ids: IdMap, target: ContextTarget): ContextTarget {
  return {
    headingId: target.headingId == null ? null : ids.resolve('section', target.headingId),
    characterId: target.characterId == null ? null : ids.resolve('character', target.characterId),
    elementId: target.elementId == null ? null : ids.resolve('element', target.elementId),
  };
}

function sameTarget(c: Context, t: ContextTarget): boolean {
  return (c.headingId ?? null) === (t.headingId ?? null) && (c.characterId ?? null) === (t.characterId ?? null) && (c.elementId ?? null) === (t.elementId ?? null);
}

function resolveElementUpdate(ids: IdMap, update: ElementUpdate): ElementUpdate {
  const out: ElementUpdate = { ...update };
  if (update.characterId !== undefined) out.characterId = ids.resolve('character', update.characterId);
  return out;
}

// ---- elements -----------------------------------------------------------------------------

export function addElement(headingId: number, element: NewElement): Command<Element> {
  let original: number | null = null;
  let position = element.position ?? null;
  return {
    label: `add ${element.kind === 'dialogue' ? 'dialogue' : element.kind}`,
    async run({ api, ids }) {
      const created = await api.elementAdd(ids.resolve('section', headingId), {
        ...element,
        characterId: element.characterId == null ? null : ids.resolve('character', element.characterId),
        position,
      });
      if (original === null) {
        original = created.elementId;
        position = created.sequenceNumber ?? position;
      } else {
        ids.remap('element', original, created.elementId);
      }
      return created;
    },
    async undo({ api, ids }) {
      await api.elementDelete(ids.resolve('element', must(original, 'element')));
    },
  };
}

/** Deletes an element; undo brings it back whole (same id, place, format, alts, contexts) in one core transaction. */
export function deleteElement(_scriptId: number, element: Pick<Element, 'elementId' | 'headingId'>): Command<void> {
  let removed: RemovedElement | null = null;
  return {
    label: 'delete element',
    async run({ api, ids }) {
      removed = await api.elementRemove(ids.resolve('element', element.elementId));
    },
    async undo({ api }) {
      await api.elementRestore(must(removed, 'element'));
    },
  };
}

export function updateElement(elementId: number, before: ElementUpdate, after: ElementUpdate, label = 'edit text'): Command<Element> {
  return {
    label,
    run: ({ api, ids }) => api.elementUpdate(ids.resolve('element', elementId), resolveElementUpdate(ids, after)),
    async undo({ api, ids }) {
      await api.elementUpdate(ids.resolve('element', elementId), resolveElementUpdate(ids, before));
    },
  };
}

/** Moves an element within its section from one 1-based position to another. */
export function moveElement(elementId: number, from: number, to: number): Command<Element> {
  return {
    label: to < from ? 'move up' : 'move down',
    run: ({ api, ids }) => api.elementMove(ids.resolve('element', elementId), { position: to }),
    async undo({ api, ids }) {
      await api.elementMove(ids.resolve('element', elementId), { position: from });
    },
  };
}

// ---- sections -----------------------------------------------------------------------------

export function addSection(scriptId: number, title: string): Command<number> {
  let original: number | null = null;
  return {
    label: 'add scene',
    async run({ api, ids }) {
      const created = await api.sectionAdd(scriptId, title);
      if (original === null) original = created.headingId;
      else ids.remap('section', original, created.headingId);
      return created.headingId;
    },
    async undo({ api, ids }) {
      await api.sectionDelete(ids.resolve('section', must(original, 'scene')));
    },
  };
}

export function renameSection(headingId: number, before: string, after: string): Command<void> {
  return {
    label: 'rename scene',
    async run({ api, ids }) {
      await api.sectionUpdate(ids.resolve('section', headingId), after);
    },
    async undo({ api, ids }) {
      await api.sectionUpdate(ids.resolve('section', headingId), before);
    },
  };
}

export function reorderSections(scriptId: number, before: number[], after: number[]): Command<void> {
  return {
    label: 'reorder scenes',
    async run({ api, ids }) {
      await api.sectionReorder(scriptId, after.map((id) => ids.resolve('section', id)));
    },
    async undo({ api, ids }) {
      await api.sectionReorder(scriptId, before.map((id) => ids.resolve('section', id)));
    },
  };
}

/** Deletes a scene; undo brings it back whole (same ids, place, elements, alts, contexts) in one core transaction. */
export function deleteSection(headingId: number): Command<void> {
  let removed: RemovedSection | null = null;
  return {
    label: 'delete scene',
    async run({ api, ids }) {
      removed = await api.sectionRemove(ids.resolve('section', headingId));
    },
    async undo({ api }) {
      await api.sectionRestore(must(removed, 'scene'));
    },
  };
}

// ---- the script ---------------------------------------------------------------------------

export function updateScript(scriptId: number, before: ScriptUpdate, after: ScriptUpdate): Command<Script> {
  return {
    label: 'edit title and author',
    run: ({ api }) => api.scriptUpdate(scriptId, after),
    async undo({ api }) {
      await api.scriptUpdate(scriptId, before);
    },
  };
}

// ---- characters ---------------------------------------------------------------------------

export function createCharacter(scriptId: number, character: NewCharacter): Command<Character> {
  let original: number | null = null;
  return {
    label: 'create character',
    async run({ api, ids }) {
      const created = await api.characterCreate(scriptId, character);
      if (original === null) original = created.characterId;
      else ids.remap('character', original, created.characterId);
      return created;
    },
    async undo({ api, ids }) {
      await api.characterDelete(ids.resolve('character', must(original, 'character')));
    },
  };
}

export function updateCharacter(characterId: number, before: CharacterUpdate, after: CharacterUpdate): Command<Character> {
  return {
    label: 'edit character',
    run: ({ api, ids }) => api.characterUpdate(ids.resolve('character', characterId), after),
    async undo({ api, ids }) {
      await api.characterUpdate(ids.resolve('character', characterId), before);
    },
  };
}

/** Deletes a character; undo brings it back whole (same id, place, music, alts, contexts) in one core transaction. */
export function deleteCharacter(_scriptId: number, characterId: number): Command<void> {
  let removed: RemovedCharacter | null = null;
  return {
    label: 'delete character',
    async run({ api, ids }) {
      removed = await api.characterRemove(ids.resolve('character', characterId));
    },
    async undo({ api }) {
      await api.characterRestore(must(removed, 'character'));
    },
  };
}

// ---- paraphrases ("alts") -----------------------------------------------------------------

function originalKind(type: ParaphraseType): IdKind {
  return type === 'character' ? 'character' : 'element';
}

export function addParaphrase(type: ParaphraseType, originalId: number, text: string, commentary: string): Command<Paraphrase> {
  let original: number | null = null;
  return {
    label: 'add alt',
    async run({ api, ids }) {
      const created = await api.paraphraseAdd(type, ids.resolve(originalKind(type), originalId), text, commentary);
      if (original === null) original = created.paraphraseId;
      else ids.remap('paraphrase', original, created.paraphraseId);
      return created;
    },
    async undo({ api, ids }) {
      await api.paraphraseDelete(ids.resolve('paraphrase', must(original, 'alt')));
    },
  };
}

export function deleteParaphrase(p: Paraphrase): Command<void> {
  return {
    label: 'delete alt',
    async run({ api, ids }) {
      await api.paraphraseDelete(ids.resolve('paraphrase', p.paraphraseId));
    },
    async undo({ api, ids }) {
      // The core keeps alts only of characters, actions and spoken words.
      const type = p.originalType as ParaphraseType;
      const created = await api.paraphraseAdd(type, ids.resolve(originalKind(type), p.originalId), p.text, p.commentary);
      ids.remap('paraphrase', p.paraphraseId, created.paraphraseId);
    },
  };
}

/** "Use this alt": swaps the alt with the text in use. Doing it again swaps back. */
export function promoteParaphrase(paraphraseId: number): Command<void> {
  return {
    label: 'use alt',
    async run({ api, ids }) {
      await api.paraphrasePromote(ids.resolve('paraphrase', paraphraseId));
    },
    async undo({ api, ids }) {
      await api.paraphrasePromote(ids.resolve('paraphrase', paraphraseId));
    },
  };
}

// ---- contexts -----------------------------------------------------------------------------

async function currentContext({ api, ids }: UndoEnv, sessionId: number, target: ContextTarget): Promise<Context | null> {
  const resolved = resolveTarget(ids, target);
  const { contexts } = await api.contextGet(ids.resolve('session', sessionId));
  return contexts.find((c) => sameTarget(c, resolved)) ?? null;
}

/** Sets (and unsets) keys of one context; undo puts the old values back and unsets new keys. */
export function setContext(sessionId: number, target: ContextTarget, data: ContextData, unset: string[] = [], label = 'set context'): Command<Context> {
  let before: ContextData = {};
  return {
    label,
    async run(env) {
      before = { ...((await currentContext(env, sessionId, target))?.data ?? {}) };
      return env.api.contextSet(env.ids.resolve('session', sessionId), resolveTarget(env.ids, target), data, unset);
    },
    async undo(env) {
      const restore: ContextData = {};
      const remove: string[] = [];
      for (const key of [...Object.keys(data), ...unset]) {
        const old = before[key];
        if (old !== undefined) restore[key] = old;
        else if (key in data) remove.push(key);
      }
      if (Object.keys(restore).length === 0 && remove.length === 0) return;
      await env.api.contextSet(env.ids.resolve('session', sessionId), resolveTarget(env.ids, target), restore, remove);
    },
  };
}

/** Removes a whole context (all its keys); undo sets them again. */
export function deleteContext(sessionId: number, target: ContextTarget): Command<void> {
  let before: ContextData = {};
  return {
    label: 'clear context',
    async run(env) {
      const current = must(await currentContext(env, sessionId, target), 'context');
      before = { ...current.data };
      await env.api.contextDelete(current.contextId);
    },
    async undo(env) {
      if (Object.keys(before).length === 0) return;
      await env.api.contextSet(env.ids.resolve('session', sessionId), resolveTarget(env.ids, target), before, []);
    },
  };
}

/**
 * Accepts or clears suggested moods (of one scene, or of every scene with a suggestion); undo
 * puts each scene's context back as it was, in one core transaction.
 */
export function reviewMoods(review: MoodReview, label: string): Command<SceneMoods> {
  let before: ContextValues[] = [];
  return {
    label,
    async run({ api, ids }) {
      const sessionId = ids.resolve('session', review.sessionId);
      const headingId = review.headingId == null ? null : ids.resolve('section', review.headingId);
      const { contexts } = await api.contextGet(sessionId);
      before = contexts
        .filter((c) => c.headingId !== null && c.characterId === null && c.elementId === null && (headingId === null || c.headingId === headingId))
        .map((c) => ({ target: { headingId: c.headingId, characterId: null, elementId: null }, data: { ...c.data } }));
      return api.moodsReview({ ...review, sessionId, headingId });
    },
    async undo({ api, ids }) {
      const contexts = before.map((c) => ({ target: resolveTarget(ids, c.target), data: c.data }));
      await api.contextPut(ids.resolve('session', review.sessionId), contexts);
    },
  };
}

// ---- sessions -----------------------------------------------------------------------------

export function updateSession(sessionId: number, before: SessionUpdate, after: SessionUpdate): Command<Session> {
  return {
    label: 'edit session',
    run: ({ api, ids }) => api.sessionUpdate(ids.resolve('session', sessionId), after),
    async undo({ api, ids }) {
      await api.sessionUpdate(ids.resolve('session', sessionId), before);
    },
  };
}

/** Deletes a session; undo brings it back with all its contexts (same ids) in one core transaction. */
export function deleteSession(session: Session): Command<void> {
  let removed: RemovedSession | null = null;
  return {
    label: 'delete session',
    async run({ api, ids }) {
      removed = await api.sessionRemove(ids.resolve('session', session.sessionId));
    },
    async undo({ api }) {
      await api.sessionRestore(must(removed, 'session'));
    },
  };
}
