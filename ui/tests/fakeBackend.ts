// An in-memory stand-in for the Rust core behind mockIPC: enough of every command's
// behaviour (ids never reused, gap-free order, {code, message} errors) to test the UI.

import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import CORE_MOODS from './moods.json';
import type { Access, Backup, Character, Context, ContextTarget, Cue, Element, LineSpan, ElementType, FullStory, Json, MoodRow, Note, Orchestration, Paraphrase, Score, Script, SectionHeading, Session, StoryItem, Track, ValidationIssue, Version } from '../src/api';
import { diffSnapshots, sameSnapshot } from './fakeVersions';
import { FakeLive } from './fakeLive';
import { handleEditing } from './fakeEditing';
import { handleMoods } from './fakeMoods';

type Args = Record<string, unknown>;

export class BackendError {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

const STAMP = '2026-11-25T10:00:00Z';

export class FakeBackend {
  next = { script: 1, section: 1, element: 1, character: 1, paraphrase: 1, session: 1, context: 1 };
  scripts: Script[] = [];
  sections: SectionHeading[] = [];
  elements: Element[] = [];
  characters: Character[] = [];
  paraphrases: Paraphrase[] = [];
  sessions: Session[] = [];
  contexts: Context[] = [];
  settings = new Map<string, unknown>();
  versions: Version[] = [];
  /** Every command called, in order, with its arguments. */
  calls: { cmd: string; args: Args }[] = [];
  /** Commands that should fail next time: cmd -> error. */
  failures = new Map<string, BackendError>();
  /** Fountain text by script, as screenplay_sync last stored it. */
  texts = new Map<number, string>();
  /** What the app imported from its command line, if anything. */
  launchResult: unknown = null;
  /** What the native import dialog "picks": a summary, or null when cancelled. */
  importDialogResult: unknown = null;
  /** Where the native export dialog "saves", or null when cancelled. */
  exportDialogResult: string | null = null;
  /** What the Reports view saved through its dialog: file name and text. */
  saved: { name: string; text: string }[] = [];
  /**
   * What the PDF's fonts lack in a script's text, as the core reports it (tests/pdf_export.rs
   * checks the rule on the real fonts): they cover Latin, Greek and Cyrillic, not CJK or emoji.
   */
  unprintable(scriptId: number): string[] {
    return [...new Set([...this.fountainText(scriptId)].filter((c) => (c.codePointAt(0) ?? 0) >= 0x2e80))].sort();
  }
  /** The file each script follows (script_link). */
  links = new Map<number, string>();
  /** The library's backups, newest first, each with the scripts it holds. */
  backups: (Backup & { held: Script[] })[] = [];
  /** Milliseconds every command takes. */
  delay = 0;
  /** Milliseconds one command takes, on top (a slow port to connect to). */
  delays = new Map<string, number>();
  /** Music: tools that are "not installed" (render fails with tool_missing). */
  missingTools = new Set<string>();
  /** Music: when set, orchestration waits for it after its first progress event. */
  gate: Promise<void> | null = null;
  /** The library open: the local one unless a test opens a writers' room. */
  access: Access = { room: null, user: null, mayWrite: true };
  /** What room_open was given last (the real app starts again on the room). */
  openedRoom: { url: string; user: string; password: string | null } | null = null;
  /** Live: the transport, the MIDI ports and recording (fakeLive.ts). */
  live = new FakeLive(this);

  install(): this {
    mockIPC(async (cmd, payload) => {
      const args = (payload ?? {}) as Args;
      this.calls.push({ cmd, args });
      const delay = this.delay + (this.delays.get(cmd) ?? 0);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const failure = this.failures.get(cmd);
      if (failure) {
        this.failures.delete(cmd);
        throw failure;
      }
      if (cmd === 'music_orchestrate') return this.orchestrate(args);
      if (cmd.startsWith('live_')) return this.live.handle(cmd, args);
      return this.handle(cmd, args);
    }, { shouldMockEvents: true });
    return this;
  }

  uninstall(): void {
    clearMocks();
  }

  callsOf(cmd: string): Args[] {
    return this.calls.filter((c) => c.cmd === cmd).map((c) => c.args);
  }

  // ---- helpers -------------------------------------------------------------------------
  private notFound(what: string): never {
    throw new BackendError('not_found', `${what} not found.`);
  }
  /** The rows without the one whose id is `id`; not_found, naming `what`, when there is none. */
  private without<T>(rows: T[], id: number, idOf: (row: T) => number, what: string): T[] {
    if (!rows.some((r) => idOf(r) === id)) this.notFound(`${what} ${id}`);
    return rows.filter((r) => idOf(r) !== id);
  }
  script(id: number): Script {
    return this.scripts.find((s) => s.scriptId === id) ?? this.notFound('Script');
  }
  section(id: number): SectionHeading {
    return this.sections.find((s) => s.headingId === id) ?? this.notFound(`Section ${id}`);
  }
  element(id: number): Element {
    return this.elements.find((e) => e.elementId === id) ?? this.notFound(`Element ${id}`);
  }
  character(id: number): Character {
    return this.characters.find((c) => c.characterId === id) ?? this.notFound(`Character ${id}`);
  }
  sectionsOf(scriptId: number): SectionHeading[] {
    return this.sections.filter((s) => s.scriptId === scriptId).sort((a, b) => (a.sequenceNumber ?? 0) - (b.sequenceNumber ?? 0));
  }
  elementsOf(headingId: number): Element[] {
    return this.elements.filter((e) => e.headingId === headingId).sort((a, b) => (a.sequenceNumber ?? 0) - (b.sequenceNumber ?? 0));
  }
  charactersOf(scriptId: number): Character[] {
    return this.characters.filter((c) => c.scriptId === scriptId).sort((a, b) => (a.sequenceNumber ?? 0) - (b.sequenceNumber ?? 0));
  }
  private renumber<T extends { sequenceNumber: number | null }>(list: T[]): void {
    list.forEach((item, i) => (item.sequenceNumber = i + 1));
  }
  withIds(e: Element): Element {
    const out: Element = { ...e };
    delete out.actionId;
    delete out.dialogueId;
    if (e.kind === 'action') out.actionId = e.elementId;
    if (e.kind === 'dialogue') out.dialogueId = e.elementId;
    return out;
  }
  private required(field: string, value: unknown): string {
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) throw new BackendError('invalid_input', `${field} must not be empty`);
    return text;
  }

  // ---- seeding -------------------------------------------------------------------------
  addScript(title: string, author = '', description = ''): Script {
    const s: Script = { scriptId: this.next.script++, title, author, description, sequenceNumber: this.scripts.length + 1, revision: 0, createdAt: STAMP, updatedAt: STAMP };
    this.scripts.push(s);
    return s;
  }
  addSection(scriptId: number, title: string): SectionHeading {
    const s: SectionHeading = { headingId: this.next.section++, scriptId, title, sequenceNumber: this.sectionsOf(scriptId).length + 1 };
    this.sections.push(s);
    return s;
  }
  addCharacter(scriptId: number, name: string, description = ''): Character {
    const c: Character = { characterId: this.next.character++, scriptId, name, description, sequenceNumber: this.charactersOf(scriptId).length + 1, instrument: null, leitmotif: null };
    this.characters.push(c);
    return c;
  }
  addElement(headingId: number, e: { kind: Element['kind']; text: string; characterId?: number | null; parenthetical?: string | null; position?: number | null }): Element {
    const section = this.section(headingId);
    if (e.characterId != null) {
      const c = this.character(e.characterId);
      if (c.scriptId !== section.scriptId) throw new BackendError('invalid_input', 'character belongs to another script');
    }
    if (!e.text.trim() && e.kind !== 'page_break') throw new BackendError('invalid_input', `the text of a ${e.kind} must not be empty`);
    if (e.kind === 'dialogue' && e.characterId == null) throw new BackendError('invalid_input', 'a line of dialogue needs a character');
    const el: Element = {
      elementId: this.next.element++,
      headingId,
      kind: e.kind,
      text: e.text,
      characterId: e.characterId ?? null,
      parenthetical: e.parenthetical ? e.parenthetical.replace(/^\((.*)\)$/, '$1') : null,
      sequenceNumber: null,
    };
    const list = this.elementsOf(headingId);
    const at = e.position == null ? list.length : Math.max(0, Math.min(list.length, e.position - 1));
    list.splice(at, 0, el);
    this.elements.push(el);
    this.renumber(list);
    return this.withIds(el);
  }
  addSession(scriptId: number, context: string): Session {
    const s: Session = { sessionId: this.next.session++, userId: 0, scriptId, context, createdAt: STAMP, updatedAt: STAMP };
    this.sessions.push(s);
    return s;
  }
  contextOf(sessionId: number, target: { headingId?: number | null; characterId?: number | null; elementId?: number | null }): Context | undefined {
    return this.contexts.find(
      (c) => c.sessionId === sessionId && c.headingId === (target.headingId ?? null) && c.characterId === (target.characterId ?? null) && c.elementId === (target.elementId ?? null),
    );
  }
  setContext(sessionId: number, target: { headingId?: number | null; characterId?: number | null; elementId?: number | null }, data: Record<string, string>, unset: string[] = []): Context {
    if (Object.keys(data).length === 0 && unset.length === 0) throw new BackendError('invalid_input', 'give at least one key=value to set');
    let ctx = this.contextOf(sessionId, target);
    if (!ctx) {
      ctx = { contextId: this.next.context++, sessionId, headingId: target.headingId ?? null, characterId: target.characterId ?? null, elementId: target.elementId ?? null, data: {} };
      this.contexts.push(ctx);
    }
    const d: Record<string, string> = { ...ctx.data, ...data };
    for (const k of unset) delete d[k];
    ctx.data = Object.fromEntries(Object.entries(d).sort(([a], [b]) => a.localeCompare(b)));
    return { ...ctx, data: { ...ctx.data } };
  }

  /** Each target's context exactly as given (none for empty data); all or nothing, as the core. */
  putContexts(sessionId: number, puts: { target: ContextTarget; data: Record<string, string> }[]): unknown {
    const session = this.sessions.find((x) => x.sessionId === sessionId) ?? this.notFound(`Session ${sessionId}`);
    for (const { target, data } of puts) {
      if (target.headingId != null) this.section(target.headingId);
      if (target.characterId != null) this.character(target.characterId);
      if (target.elementId != null) this.element(target.elementId);
      if (Object.keys(data).some((k) => k.trim() === '')) throw new BackendError('invalid_input', 'a context key must not be empty');
    }
    for (const { target, data } of puts) {
      const current = this.contextOf(sessionId, target);
      if (Object.keys(data).length === 0) {
        if (current) this.contexts = this.contexts.filter((c) => c !== current);
        continue;
      }
      const unset = current ? Object.keys(current.data).filter((k) => !(k in data)) : [];
      this.setContext(sessionId, target, data, unset);
    }
    return this.handle('context_get', { sessionId: session.sessionId });
  }

  // ---- commands ------------------------------------------------------------------------
  handle(cmd: string, a: Args): unknown {
    const n = (k: string) => a[k] as number;
    switch (cmd) {
      case 'script_create': {
        const nw = a['new'] as { title: string; author?: string; description?: string };
        return this.addScript(this.required('title', nw.title), nw.author ?? '', nw.description ?? '');
      }
      case 'script_list': {
        const q = (a['query'] ?? {}) as { title?: string; author?: string };
        const has = (h: string, nd?: string) => !nd || h.toLowerCase().includes(nd.toLowerCase());
        const scripts = this.scripts.filter((s) => has(s.title, q.title) && has(s.author, q.author));
        return { scripts, totalCount: scripts.length };
      }
      case 'script_get':
        return this.script(n('scriptId'));
      case 'script_update':
        return Object.assign(this.script(n('scriptId')), a['update']);
      case 'script_delete': {
        const id = n('scriptId');
        this.script(id);
        this.scripts = this.scripts.filter((s) => s.scriptId !== id);
        return null;
      }
      case 'section_add':
        this.script(n('scriptId'));
        return this.addSection(n('scriptId'), this.required('title', a['title']));
      case 'section_list':
        this.script(n('scriptId'));
        return this.sectionsOf(n('scriptId')).map((s) => ({ ...s }));
      case 'section_update': {
        const s = this.section(n('headingId'));
        s.title = this.required('title', a['title']);
        return { ...s };
      }
      case 'section_delete': {
        const s = this.section(n('headingId'));
        const gone = new Set(this.elementsOf(s.headingId).map((e) => e.elementId));
        this.elements = this.elements.filter((e) => e.headingId !== s.headingId);
        this.paraphrases = this.paraphrases.filter((p) => p.originalType === 'character' || !gone.has(p.originalId));
        this.contexts = this.contexts.filter((c) => c.headingId !== s.headingId && !(c.elementId != null && gone.has(c.elementId)));
        this.sections = this.sections.filter((x) => x !== s);
        this.renumber(this.sectionsOf(s.scriptId));
        return null;
      }
      case 'section_remove': {
        const s = this.section(n('headingId'));
        const elements = this.elementsOf(s.headingId).map((e) => ({ ...e }));
        const ids = new Set(elements.map((e) => e.elementId));
        const removed = {
          section: { ...s },
          elements,
          paraphrases: this.paraphrases.filter((p) => p.originalType !== 'character' && ids.has(p.originalId)).map((p) => ({ ...p })),
          contexts: this.contexts.filter((c) => c.headingId === s.headingId || (c.elementId != null && ids.has(c.elementId))).map((c) => ({ ...c, data: { ...c.data } })),
          headingFormat: { sceneNumber: null, untitled: false, source: null, sourceOf: null },
          elementFormats: this.elementFormats(s.headingId),
        };
        this.handle('section_delete', { headingId: s.headingId });
        return removed;
      }
      case 'section_restore': {
        const r = a['removed'] as { section: SectionHeading; elements: Element[]; paraphrases: Paraphrase[]; contexts: Context[] };
        if (this.sections.some((s) => s.headingId === r.section.headingId)) throw new BackendError('conflict', 'exists already');
        const order = this.sectionsOf(r.section.scriptId);
        order.splice((r.section.sequenceNumber ?? order.length + 1) - 1, 0, { ...r.section });
        this.sections.push(order.find((s) => s.headingId === r.section.headingId)!);
        this.renumber(order);
        this.elements.push(...r.elements.map((e) => ({ ...e })));
        this.paraphrases.push(...r.paraphrases);
        this.contexts.push(...r.contexts);
        return { ...r.section };
      }
      case 'section_reorder': {
        const scriptId = n('scriptId');
        const order = a['order'] as number[];
        const all = this.sectionsOf(scriptId);
        if (new Set(order).size !== order.length || order.some((id) => !all.some((s) => s.headingId === id))) {
          throw new BackendError('invalid_input', 'bad order');
        }
        const rest = all.filter((s) => !order.includes(s.headingId));
        const next = [...order.map((id) => all.find((s) => s.headingId === id)!), ...rest];
        this.renumber(next);
        return { scriptId, updatedElements: next.map((s) => ({ headingId: s.headingId, newSequence: s.sequenceNumber })) };
      }
      case 'element_add':
        return this.addElement(n('headingId'), a['element'] as Parameters<FakeBackend['addElement']>[1]);
      case 'element_list':
        this.section(n('headingId'));
        return this.elementsOf(n('headingId')).map((e) => this.withIds(e));
      case 'element_update': {
        const e = this.element(n('elementId'));
        const u = a['update'] as { text?: string; characterId?: number; parenthetical?: string };
        if (u.text !== undefined) {
          if (!u.text.trim()) throw new BackendError('invalid_input', `the text of a ${e.kind} must not be empty`);
          e.text = u.text;
        }
        if (u.characterId !== undefined) e.characterId = this.character(u.characterId).characterId;
        if (u.parenthetical !== undefined) e.parenthetical = u.parenthetical === '' ? null : u.parenthetical;
        return this.withIds(e);
      }
      case 'element_delete': {
        const e = this.element(n('elementId'));
        this.elements = this.elements.filter((x) => x !== e);
        this.paraphrases = this.paraphrases.filter((p) => p.originalType === 'character' || p.originalId !== e.elementId);
        this.contexts = this.contexts.filter((c) => c.elementId !== e.elementId);
        this.renumber(this.elementsOf(e.headingId));
        return null;
      }
      case 'element_move': {
        const e = this.element(n('elementId'));
        const to = a['to'] as { position: number };
        const list = this.elementsOf(e.headingId).filter((x) => x !== e);
        list.splice(Math.max(0, Math.min(list.length, to.position - 1)), 0, e);
        this.renumber(list);
        return this.withIds(e);
      }
      case 'character_create': {
        const nw = a['new'] as { name: string; description?: string };
        const name = this.required('name', nw.name);
        if (this.charactersOf(n('scriptId')).some((c) => c.name === name)) throw new BackendError('conflict', `this script already has a character named "${name}"`);
        return this.addCharacter(this.script(n('scriptId')).scriptId, name, nw.description ?? '');
      }
      case 'character_list':
        this.script(n('scriptId'));
        return this.charactersOf(n('scriptId')).map((c) => ({ ...c }));
      case 'character_update': {
        const c = this.character(n('characterId'));
        const u = a['update'] as { name?: string; description?: string; instrument?: number | null; leitmotif?: { degree: number; length: number }[] | null };
        if (u.instrument != null && !(Number.isInteger(u.instrument) && u.instrument >= 0 && u.instrument <= 127)) throw new BackendError('invalid_input', `instrument ${u.instrument} is not a General MIDI program (0-127)`);
        // The core's own messages (src/music/leitmotif.rs).
        const badDegree = u.leitmotif?.find((n) => n.degree < -7 || n.degree > 14);
        if (badDegree) throw new BackendError('invalid_input', `leitmotif degree ${badDegree.degree} is outside -7..=14`);
        const badLength = u.leitmotif?.find((n) => n.length < 1 || n.length > 16);
        if (badLength) throw new BackendError('invalid_input', `leitmotif length ${badLength.length} is outside 1..=16 eighth notes`);
        if (u.name !== undefined) c.name = this.required('name', u.name);
        if (u.description !== undefined) c.description = u.description;
        if (u.instrument !== undefined) c.instrument = u.instrument;
        if (u.leitmotif !== undefined) c.leitmotif = u.leitmotif;
        return { ...c };
      }
      case 'character_delete': {
        const c = this.character(n('characterId'));
        const used = this.elements.filter((e) => e.characterId === c.characterId).length;
        if (used > 0) throw new BackendError('conflict', `${c.name} still has ${used} line(s) or action(s); delete or reassign them first`);
        this.characters = this.characters.filter((x) => x !== c);
        this.paraphrases = this.paraphrases.filter((p) => !(p.originalType === 'character' && p.originalId === c.characterId));
        this.contexts = this.contexts.filter((x) => x.characterId !== c.characterId);
        this.renumber(this.charactersOf(c.scriptId));
        return null;
      }
      case 'character_lines': {
        const c = this.character(n('characterId'));
        const order = (e: Element) => (this.section(e.headingId).sequenceNumber ?? 0) * 10000 + (e.sequenceNumber ?? 0);
        const mine = this.elements.filter((e) => e.characterId === c.characterId).sort((x, y) => order(x) - order(y));
        return { characterId: c.characterId, actions: mine.filter((e) => e.kind !== 'dialogue').map((e) => this.withIds(e)), spokenWords: mine.filter((e) => e.kind === 'dialogue').map((e) => this.withIds(e)) };
      }
      case 'paraphrase_add': {
        this.textInUse(a['originalType'] as string, n('originalId'));
        const p: Paraphrase = {
          paraphraseId: this.next.paraphrase++,
          originalType: a['originalType'] as Paraphrase['originalType'],
          originalId: n('originalId'),
          text: this.required('text', a['text']),
          commentary: String(a['commentary'] ?? ''),
          createdAt: STAMP,
        };
        this.paraphrases.push(p);
        return { ...p };
      }
      case 'paraphrase_list':
        this.textInUse(a['originalType'] as string, n('originalId'));
        return this.paraphrases.filter((p) => p.originalType === a['originalType'] && p.originalId === n('originalId')).map((p) => ({ ...p }));
      case 'paraphrase_promote': {
        const p = this.paraphrases.find((x) => x.paraphraseId === n('paraphraseId')) ?? this.notFound(`Paraphrase ${n('paraphraseId')}`);
        const old = this.textInUse(p.originalType, p.originalId);
        const text = p.text;
        if (p.originalType === 'character') this.character(p.originalId).description = text;
        else this.element(p.originalId).text = text;
        p.text = old;
        return { text, paraphrase: { ...p } };
      }
      case 'paraphrase_delete':
        this.paraphrases = this.without(this.paraphrases, n('paraphraseId'), (p) => p.paraphraseId, 'Paraphrase');
        return null;
      case 'session_create': {
        const nw = a['new'] as { scriptId?: number; context?: string };
        return this.addSession(nw.scriptId ?? 0, nw.context ?? '');
      }
      case 'session_list':
        return this.sessions.filter((s) => a['scriptId'] == null || s.scriptId === a['scriptId']).sort((x, y) => y.sessionId - x.sessionId);
      case 'session_update': {
        const s = this.sessions.find((x) => x.sessionId === n('sessionId')) ?? this.notFound(`Session ${n('sessionId')}`);
        Object.assign(s, a['update']);
        return { ...s };
      }
      case 'session_delete':
        // Contexts go with their session (ON DELETE CASCADE in the core).
        this.sessions = this.sessions.filter((x) => x.sessionId !== n('sessionId'));
        this.contexts = this.contexts.filter((c) => c.sessionId !== n('sessionId'));
        return null;
      case 'context_get': {
        const s = this.sessions.find((x) => x.sessionId === n('sessionId')) ?? this.notFound(`Session ${n('sessionId')}`);
        return { ...s, contexts: this.contexts.filter((c) => c.sessionId === s.sessionId).map((c) => ({ ...c, data: { ...c.data } })) };
      }
      case 'context_set': {
        const target = a['target'] as { headingId?: number | null; characterId?: number | null; elementId?: number | null };
        if (target.headingId != null) this.section(target.headingId);
        if (target.characterId != null) this.character(target.characterId);
        if (target.elementId != null) this.element(target.elementId);
        return this.setContext(n('sessionId'), target, a['data'] as Record<string, string>, (a['unset'] as string[]) ?? []);
      }
      case 'context_put':
        return this.putContexts(n('sessionId'), a['contexts'] as { target: ContextTarget; data: Record<string, string> }[]);
      case 'context_delete':
        this.contexts = this.without(this.contexts, n('contextId'), (c) => c.contextId, 'Context');
        return null;
      case 'sequence_reorder': {
        const placements = a['placements'] as { elementId: number; newSequence: number }[];
        if (a['elementType'] === 'character') {
          for (const p of placements) this.character(p.elementId).sequenceNumber = p.newSequence;
          this.renumber(this.charactersOf(n('scope')));
        }
        return { elementType: a['elementType'], scopeId: n('scope'), updatedElements: placements };
      }
      case 'story_full':
        return this.story(a['request'] as { scriptId: number; sessionId?: number | null; filterByCharacter?: number | null; filterByContext?: [string, string] | null });
      case 'story_validate': {
        const scriptId = n('scriptId');
        this.script(scriptId);
        return this.validate(scriptId);
      }
      case 'version_create':
        return this.addVersion(a['elementType'] as ElementType, n('elementId'), String(a['comment'] ?? '').trim());
      case 'version_list':
        return this.versionsOf(a['elementType'] as ElementType, n('elementId')).map(({ versionNumber, comment, createdAt, createdBy }) => ({ versionNumber, comment, createdAt, createdBy }));
      case 'version_get':
        return { ...this.version(a['elementType'] as ElementType, n('elementId'), n('version')) };
      case 'version_diff': {
        const [type, id] = [a['elementType'] as ElementType, n('elementId')];
        const [from, to] = [this.version(type, id, n('from')), this.version(type, id, n('to'))];
        return { from: n('from'), to: n('to'), changes: diffSnapshots('', from.data, to.data) };
      }
      case 'version_restore':
        return this.restoreVersion(a['elementType'] as ElementType, n('elementId'), n('version'));
      case 'example_load': {
        if (a['name'] !== 'romeo-and-juliet') throw new BackendError('not_found', 'no such example');
        const s = this.addScript('Romeo and Juliet', 'William Shakespeare', 'The balcony scene');
        const h = this.addSection(s.scriptId, "EXT. CAPULET'S ORCHARD - NIGHT");
        const juliet = this.addCharacter(s.scriptId, 'JULIET');
        const romeo = this.addCharacter(s.scriptId, 'ROMEO');
        this.addElement(h.headingId, { kind: 'dialogue', text: 'O Romeo, Romeo! wherefore art thou Romeo?', characterId: juliet.characterId });
        this.addElement(h.headingId, { kind: 'dialogue', text: 'Shall I hear more, or shall I speak at this?', characterId: romeo.characterId, parenthetical: 'aside' });
        const session = this.addSession(s.scriptId, 'Default reading');
        this.setContext(session.sessionId, { headingId: h.headingId }, { mood: 'longing', location: "Capulet's mansion balcony" });
        return { scriptId: s.scriptId, sessionIds: [session.sessionId], sections: 1, characters: 2, elements: 2 };
      }
      case 'setting_get':
        return this.settings.has(a['key'] as string) ? this.settings.get(a['key'] as string) : null;
      case 'setting_set':
        if (a['value'] === null) this.settings.delete(a['key'] as string);
        else this.settings.set(a['key'] as string, a['value']);
        return a['value'];
      case 'music_moods':
        return MOOD_TABLE.map((m) => ({ ...m }));
      case 'music_score':
        return this.score(n('scriptId'), (a['sessionId'] as number | null) ?? null);
      case 'music_sheet_png':
        if (!String(a['path']).startsWith(ORCHESTRATION_DIR)) throw new BackendError('invalid_input', 'only files in the orchestration folder');
        return TINY_PNG;
      case 'music_render_audio':
        this.script(n('scriptId'));
        return {
          wavFilePath: `${this.outDir(n('scriptId'), (a['sessionId'] as number | null) ?? null)}/preview.wav`,
          soundFontPath: '/usr/share/sounds/sf2/sf_GMbank.sf2',
          durationSeconds: 60,
        };
      // ---- screenplays (issue 4) ----
      case 'screenplay_fountain_text':
        return this.fountainText(n('scriptId'));
      case 'screenplay_sync': {
        const script = this.script(n('scriptId'));
        const base = a['baseRevision'] as number | null | undefined;
        if (base != null && base !== script.revision) throw new BackendError('conflict', `the script changed since this text was loaded (revision ${base}, now ${script.revision}); reload it or merge the changes`);
        return this.sync(n('scriptId'), a['text'] as string);
      }
      case 'screenplay_launch_import':
        return this.launchResult;
      case 'app_close':
        return null;
      case 'screenplay_import_dialog':
        return this.importDialogResult;
      case 'screenplay_export_dialog': {
        this.script(n('scriptId'));
        const path = this.exportDialogResult;
        if (path === null) return null;
        const format = a['format'] as string;
        if (format !== 'pdf') return { scriptId: n('scriptId'), format, path, bytes: 2048, missing: [] };
        return { scriptId: n('scriptId'), format, path, bytes: 40960, pages: 1, missing: this.unprintable(n('scriptId')) };
      }
      case 'bundle_export_dialog': {
        this.script(n('scriptId'));
        const path = this.exportDialogResult;
        return path === null ? null : { scriptId: n('scriptId'), path, bytes: 4096, entries: ['manifest.json', 'story.json', 'document.json', 'script.fountain'], skipped: [] };
      }
      case 'script_link_dialog':
      case 'script_link': {
        const script = this.script(n('scriptId'));
        const path = cmd === 'script_link' ? (a['path'] as string) : this.exportDialogResult;
        if (path === null) return null;
        this.links.set(script.scriptId, path);
        return { scriptId: script.scriptId, path, syncedRevision: script.revision };
      }
      case 'script_linked': {
        const script = this.script(n('scriptId'));
        const path = this.links.get(script.scriptId);
        return path === undefined ? null : { scriptId: script.scriptId, path, syncedRevision: script.revision };
      }
      case 'script_unlink': {
        const script = this.script(n('scriptId'));
        const path = this.links.get(script.scriptId);
        if (path === undefined) throw new BackendError('not_found', `script ${script.scriptId} is not linked to a file`);
        this.links.delete(script.scriptId);
        return { scriptId: script.scriptId, path, syncedRevision: script.revision };
      }
      case 'moods_suggest':
      case 'moods_list':
      case 'moods_review':
      case 'report_get':
      case 'report_csv':
        return handleMoods(this, cmd, a);
      case 'report_save_dialog': {
        const name = a['name'] as string;
        if (!/\.(svg|png|csv)$/.test(name)) throw new BackendError('invalid_input', `${name}: a report saves as .svg, .png or .csv`);
        if (this.exportDialogResult === null) return null;
        this.saved.push({ name, text: new TextDecoder().decode(new Uint8Array(a['data'] as number[])) });
        return `${this.exportDialogResult}/${name}`;
      }
      case 'room_access':
        return this.access;
      case 'room_note':
      case 'room_follow':
      case 'room_open_local':
        return null;
      case 'room_open': {
        if (!String(a['url']).startsWith('postgres://')) throw new BackendError('invalid_input', "a writers' room's address is postgres://HOST/DB (the user is asked apart)");
        this.openedRoom = { url: String(a['url']), user: String(a['user']), password: (a['password'] as string | null) ?? null };
        return null;
      }
      case 'backup_list':
        return this.backups.map(({ held: _, ...b }) => b);
      case 'backup_create':
        return this.backUp();
      case 'backup_restore': {
        const chosen = this.backups.find((b) => b.path === a['path']);
        if (!chosen) throw new BackendError('not_found', `no backup file ${String(a['path'])}`);
        const savedFirst = this.backUp();
        this.scripts = chosen.held.map((x) => ({ ...x }));
        const { held: _, ...restored } = chosen;
        return { restored, savedFirst };
      }
      default:
        return handleEditing(this, cmd, a);
    }
  }

  /** Another writer changed a script in the room: its revision moves on and the app hears of it. */
  async otherWriterChanged(scriptId: number, text: string): Promise<void> {
    this.otherWriter(scriptId, text);
    await emit('room-change', { scriptId, revision: this.script(scriptId).revision });
  }

  /** A backup of the scripts as they are, made now. */
  backUp(createdAt = '2026-12-01T17:00:00.000Z'): Backup {
    const backup = { path: `/data/backups/studio-${this.backups.length + 1}.sqlite3`, createdAt, bytes: 4096, scripts: this.scripts.length };
    this.backups.unshift({ ...backup, held: this.scripts.map((x) => ({ ...x })) });
    return backup;
  }

  fail(code: string, message: string): never {
    throw new BackendError(code, message);
  }

  /** Another writer (the CLI, a second window) stores `text`: the script's revision moves on. */
  otherWriter(scriptId: number, text: string): void {
    this.sync(scriptId, text);
  }

  // ---- validation and versions (as src/story/validate.rs, src/sequence/versions.rs) -----
  private validate(scriptId: number): { scriptId: number; valid: boolean; issues: ValidationIssue[] } {
    const elements = this.sectionsOf(scriptId).flatMap((s) => this.elementsOf(s.headingId));
    const issues: ValidationIssue[] = elements
      .filter((e) => e.kind === 'dialogue' && e.characterId === null)
      .map((e) => ({ kind: 'danglingReference', severity: 'error', elementType: 'element', elementId: e.elementId, headingId: e.headingId, message: `line ${e.elementId} has no character` }));
    for (const c of this.charactersOf(scriptId)) {
      if (!elements.some((e) => e.characterId === c.characterId && e.kind === 'dialogue')) {
        issues.push({ kind: 'silentCharacter', severity: 'warning', elementType: 'character', elementId: c.characterId, message: `${c.name} never speaks` });
      }
    }
    return { scriptId, valid: issues.every((i) => i.severity === 'warning'), issues };
  }

  /** Versions are kept per family: an action's versions are its element's. */
  private family(type: ElementType): ElementType {
    return type === 'action' || type === 'spokenWord' || type === 'transition' ? 'element' : type;
  }
  private versionsOf(type: ElementType, id: number): Version[] {
    return this.versions.filter((v) => v.elementType === this.family(type) && v.elementId === id);
  }
  private version(type: ElementType, id: number, number: number): Version {
    return this.versionsOf(type, id).find((v) => v.versionNumber === number) ?? this.notFound(`Version ${number} of ${type} ${id}`);
  }
  addVersion(type: ElementType, id: number, comment: string, data: Json = this.snapshot(type, id)): Version {
    const v: Version = { elementType: this.family(type), elementId: id, versionNumber: this.versionsOf(type, id).length + 1, comment, createdAt: STAMP, createdBy: "<user>", data };
    this.versions.push(v);
    return { ...v };
  }
  private elementFormats(headingId: number): Json[] {
    return this.elementsOf(headingId)
      .map((e) => e.elementId)
      .sort((x, y) => x - y)
      .map((elementId) => ({ elementId, extension: null, dual: false, continues: false, depth: null, source: null, sourceOf: null }));
  }
  private characterJson(c: Character): Json {
    return { ...c } as Json;
  }
  private sectionSnapshot(s: SectionHeading): Json {
    return {
      ...s,
      elements: this.elementsOf(s.headingId).map((e) => this.withIds(e)) as Json[],
      format: { heading: { sceneNumber: null, untitled: false, source: null, sourceOf: null }, elements: this.elementFormats(s.headingId) },
    };
  }
  /** As the core's versions: the alts on the material, and per session of the script the contexts on it. */
  private attached(scope: 'script' | 'section' | 'character' | 'element', id: number): { paraphrases: Json; sessions: Json } {
    const scriptOf = (): number => {
      if (scope === 'script') return id;
      if (scope === 'section') return this.section(id).scriptId;
      if (scope === 'character') return this.character(id).scriptId;
      return this.section(this.element(id).headingId).scriptId;
    };
    const scriptId = scriptOf();
    const sectionIds = new Set(this.sectionsOf(scriptId).map((x) => x.headingId));
    const elementIds = new Set(
      scope === 'section' ? this.elementsOf(id).map((e) => e.elementId)
        : scope === 'element' ? [id]
          : scope === 'script' ? this.elements.filter((e) => sectionIds.has(e.headingId)).map((e) => e.elementId) : [],
    );
    const characterIds = new Set(scope === 'script' ? this.charactersOf(scriptId).map((c) => c.characterId) : scope === 'character' ? [id] : []);
    const paraphrases = this.paraphrases
      .filter((p) => (p.originalType === 'character' ? characterIds.has(p.originalId) : elementIds.has(p.originalId)))
      .sort((x, y) => x.paraphraseId - y.paraphraseId)
      .map((p) => ({ ...p }));
    const holds = (c: Context): boolean => {
      if (scope === 'script') return true;
      if (scope === 'section') return c.headingId === id || (c.elementId != null && elementIds.has(c.elementId));
      if (scope === 'character') return c.characterId === id;
      return c.elementId === id;
    };
    const sessions = this.sessions
      .filter((x) => x.scriptId === scriptId)
      .sort((x, y) => x.sessionId - y.sessionId)
      .map((x) => ({
        sessionId: x.sessionId,
        contexts: this.contexts
          .filter((c) => c.sessionId === x.sessionId && holds(c))
          .sort((a, b) => a.contextId - b.contextId)
          .map((c) => ({ contextId: c.contextId, headingId: c.headingId ?? null, characterId: c.characterId ?? null, elementId: c.elementId ?? null, data: { ...c.data } })),
      }));
    return { paraphrases: paraphrases as unknown as Json, sessions: sessions as unknown as Json };
  }
  private snapshot(type: ElementType, id: number): Json {
    switch (this.family(type)) {
      case 'script': {
        const s = this.script(id);
        return {
          script: { title: s.title, author: s.author, description: s.description },
          characters: this.charactersOf(id).map((c) => this.characterJson(c)),
          sections: this.sectionsOf(id).map((x) => this.sectionSnapshot(x)),
          format: { titlePage: null, source: null, sourceOf: null },
          ...this.attached('script', id),
        };
      }
      case 'section':
        return { ...(this.sectionSnapshot(this.section(id)) as { [key: string]: Json }), ...this.attached('section', id) };
      case 'character':
        return { ...(this.characterJson(this.character(id)) as { [key: string]: Json }), ...this.attached('character', id) };
      default: {
        const e = this.element(id);
        return { ...this.withIds(e), format: this.elementFormats(e.headingId).find((f) => (f as { elementId: number }).elementId === id) ?? null, ...this.attached('element', id) } as Json;
      }
    }
  }
  private restoreVersion(type: ElementType, id: number, number: number): Version {
    if (this.family(type) !== 'script') throw new BackendError('invalid_input', 'the fake backend restores only scripts');
    const target = this.version(type, id, number);
    const current = this.snapshot(type, id);
    const latest = this.versionsOf(type, id).at(-1);
    if (!latest || !sameSnapshot(latest.data, current)) this.addVersion(type, id, `before restoring version ${number}`, current);
    this.applyScript(id, target.data as unknown as ScriptSnapshot);
    return this.addVersion(type, id, `restored version ${number}`);
  }
  private applyScript(scriptId: number, snap: ScriptSnapshot): void {
    Object.assign(this.script(scriptId), snap.script, { updatedAt: STAMP });
    const keptElements = new Set(snap.sections.flatMap((s) => s.elements.map((e) => e.elementId)));
    const mine = new Set(this.sectionsOf(scriptId).map((s) => s.headingId));
    for (const e of this.elements.filter((x) => mine.has(x.headingId) && !keptElements.has(x.elementId))) this.handle('element_delete', { elementId: e.elementId });
    const keptCharacters = new Set(snap.characters.map((c) => c.characterId));
    this.characters = [...this.characters.filter((c) => c.scriptId !== scriptId || keptCharacters.has(c.characterId))];
    for (const c of snap.characters) {
      const old = this.characters.find((x) => x.characterId === c.characterId);
      if (old) Object.assign(old, c);
      else this.characters.push({ ...c });
    }
    const keptSections = new Set(snap.sections.map((s) => s.headingId));
    this.sections = this.sections.filter((s) => s.scriptId !== scriptId || keptSections.has(s.headingId));
    for (const s of snap.sections) {
      const section: SectionHeading = { headingId: s.headingId, scriptId: s.scriptId, title: s.title, sequenceNumber: s.sequenceNumber };
      const old = this.sections.find((x) => x.headingId === section.headingId);
      if (old) Object.assign(old, section);
      else this.sections.push(section);
      for (const e of s.elements) {
        const row: Element = { ...e };
        delete row.actionId;
        delete row.dialogueId;
        const existing = this.elements.find((x) => x.elementId === e.elementId);
        if (existing) Object.assign(existing, row);
        else this.elements.push({ ...row });
      }
    }
  }

  // ---- music ---------------------------------------------------------------------------
  outDir(scriptId: number, sessionId: number | null): string {
    return `${ORCHESTRATION_DIR}/script-${scriptId}-session-${sessionId ?? 'none'}`;
  }

  /** One cue per scene (8 beats per element, at least 2 bars), a track per speaker plus the underscore. */
  score(scriptId: number, sessionId: number | null): Score {
    const script = this.script(scriptId);
    const ppq = 480;
    const tracks: Track[] = [{ name: 'Underscore', characterId: null, program: 48, channel: 0, family: 'strings' }];
    const notes: Note[] = [];
    const cues: Cue[] = [];
    const lines: LineSpan[] = [];
    let tick = 0;
    this.sectionsOf(scriptId).forEach((s, i) => {
      const mood = sessionId === null ? '' : (this.contextOf(sessionId, { headingId: s.headingId })?.data['mood'] ?? '');
      const minor = ['sadness', 'fear', 'anger'].includes(mood);
      const elements = this.elementsOf(s.headingId);
      const start = tick;
      const length = Math.max(8, elements.length * 8) * ppq;
      for (const [j, e] of elements.entries()) {
        const at = start + j * 8 * ppq;
        notes.push({ onset: at, length: 8 * ppq, track: 0, channel: 0, pitch: minor ? 57 : 60, velocity: 60 });
        lines.push({ elementId: e.elementId, cue: i, startTick: at, endTick: at + 8 * ppq });
        if (e.kind === 'dialogue' && e.characterId != null) {
          const name = this.character(e.characterId).name;
          let t = tracks.findIndex((x) => x.characterId === e.characterId);
          if (t < 0) t = tracks.push({ name, characterId: e.characterId, program: 73, channel: tracks.length, family: 'woodwinds' }) - 1;
          [0, 2, 4].forEach((step, k) => notes.push({ onset: at + k * ppq, length: ppq, track: t, channel: t, pitch: 72 + step, velocity: 90 }));
        }
      }
      tick = start + length;
      cues.push({
        name: `1M${i + 1}`,
        sectionId: s.headingId,
        heading: s.title,
        mood,
        mode: minor ? 'aeolian' : 'ionian',
        tonic: minor ? 9 : 0,
        bpm: 120,
        startTick: start,
        endTick: tick,
        startSeconds: start / ppq / 2,
        endSeconds: tick / ppq / 2,
      });
    });
    notes.sort((x, y) => x.onset - y.onset || x.track - y.track || x.pitch - y.pitch);
    return { title: script.title, ppq, tempoMap: [{ tick: 0, microsPerQuarter: 500000 }], timeSignature: [4, 4], tracks, notes, markers: cues.map((c) => ({ tick: c.startTick, text: c.heading })), cues, lines };
  }

  private async orchestrate(a: Args): Promise<Orchestration> {
    const scriptId = a['scriptId'] as number;
    const sessionId = (a['sessionId'] as number | null) ?? null;
    const score = this.score(scriptId, sessionId);
    const render = a['render'] === true;
    const total = render ? 5 : 3;
    await emit('progress', { task: 'orchestrate', step: 'MIDI', done: 1, total });
    if (this.gate) await this.gate;
    await emit('progress', { task: 'orchestrate', step: 'LilyPond', done: 2, total });
    await emit('progress', { task: 'orchestrate', step: 'Csound', done: 3, total });
    const dir = this.outDir(scriptId, sessionId);
    const out: Orchestration = { midiFilePath: `${dir}/score.mid`, lilyPondFilePath: `${dir}/score.ly`, csoundFilePath: `${dir}/score.csd`, cues: score.cues };
    if (render) {
      for (const tool of ['lilypond', 'csound']) {
        if (this.missingTools.has(tool)) throw new BackendError('tool_missing', `${tool} is not installed; install the Debian package "${tool}" (apt-get install ${tool})`);
      }
      await emit('progress', { task: 'render', step: 'LilyPond', done: 4, total });
      await emit('progress', { task: 'render', step: 'Csound', done: 5, total });
      out.pdfFilePath = `${dir}/score.pdf`;
      out.pngFilePaths = [`${dir}/score-page1.png`, `${dir}/score-page2.png`];
      out.wavFilePath = `${dir}/score.wav`;
    }
    return out;
  }

  /** Scene headings and their elements as Fountain; a stand-in for the core's exporter. */
  private fountainText(scriptId: number): string {
    this.script(scriptId);
    const stored = this.texts.get(scriptId);
    if (stored !== undefined) return stored;
    const blocks: string[] = [];
    for (const s of this.sectionsOf(scriptId)) {
      blocks.push(s.title);
      for (const e of this.elementsOf(s.headingId)) {
        if (e.kind === 'dialogue') blocks.push([this.character(e.characterId!).name, ...(e.parenthetical ? [`(${e.parenthetical})`] : []), e.text].join('\n'));
        else if (e.kind === 'transition') blocks.push(`> ${e.text}`);
        else blocks.push(e.text);
      }
    }
    return blocks.join('\n\n') + '\n';
  }

  /** Keeps sections whose heading is unchanged, adds new ones, drops the rest (in text order). */
  private sync(scriptId: number, text: string): { sections: Record<string, number>; elements: Record<string, number>; revision: number } {
    this.script(scriptId);
    const headings = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^(INT|EXT|EST|I\/E)[. ]/i.test(l) || /^\.[^.]/.test(l))
      .map((l) => l.replace(/^\./, '').toUpperCase());
    const old = this.sectionsOf(scriptId);
    const kept: SectionHeading[] = [];
    for (const title of headings) {
      const same = old.find((s) => s.title === title && !kept.includes(s));
      kept.push(same ?? { headingId: this.next.section++, scriptId, title, sequenceNumber: null });
    }
    this.sections = [...this.sections.filter((s) => s.scriptId !== scriptId), ...kept];
    this.renumber(kept);
    this.texts.set(scriptId, text);
    const script = this.script(scriptId);
    script.revision += 1;
    return { sections: { total: kept.length }, elements: {}, revision: script.revision };
  }

  private textInUse(type: string, id: number): string {
    if (type === 'character') return this.character(id).description;
    const e = this.element(id);
    if ((type === 'spokenWord' && e.kind !== 'dialogue') || (type === 'action' && e.kind !== 'action')) this.notFound(`${type === 'action' ? 'Action' : 'Spoken word'} ${id}`);
    return e.text;
  }

  private story(r: { scriptId: number; sessionId?: number | null; filterByCharacter?: number | null; filterByContext?: [string, string] | null }): FullStory {
    const script = this.script(r.scriptId);
    const ctxFor = (headingId: number, characterId: number | null) => {
      if (r.sessionId == null) return undefined;
      const layers = [this.contextOf(r.sessionId, { headingId }), characterId != null ? this.contextOf(r.sessionId, { headingId, characterId }) : undefined].filter(
        (c): c is Context => c !== undefined,
      );
      if (layers.length === 0) return undefined;
      return { contextId: layers[layers.length - 1]!.contextId, data: Object.assign({}, ...layers.map((l) => l.data)) as Record<string, string> };
    };
    let seq = 0;
    const items: StoryItem[] = [];
    const sections = this.sectionsOf(script.scriptId);
    for (const s of sections) {
      for (const e of this.elementsOf(s.headingId)) {
        seq += 1;
        const c = e.characterId != null ? this.character(e.characterId) : undefined;
        const item: StoryItem = { sequence: seq, headingId: s.headingId, elementId: e.elementId, elementType: e.kind, text: e.text };
        if (c) item.character = { characterId: c.characterId, name: c.name, description: c.description };
        if (e.kind === 'action') item.action = { actionId: e.elementId, description: e.text };
        if (e.kind === 'dialogue') item.spokenWord = { dialogueId: e.elementId, text: e.text, ...(e.parenthetical ? { parenthetical: e.parenthetical } : {}) };
        const ctx = ctxFor(s.headingId, e.characterId);
        if (ctx) item.context = ctx;
        items.push(item);
      }
    }
    const story = items.filter(
      (i) => (r.filterByCharacter == null || i.character?.characterId === r.filterByCharacter) && (r.filterByContext == null || i.context?.data[r.filterByContext[0]] === r.filterByContext[1]),
    );
    return {
      scriptId: script.scriptId,
      title: script.title,
      author: script.author,
      description: script.description,
      ...(r.sessionId != null ? { sessionId: r.sessionId } : {}),
      sections: sections.filter((s) => (r.filterByCharacter == null && r.filterByContext == null) || story.some((i) => i.headingId === s.headingId)).map((s) => {
        const ctx = ctxFor(s.headingId, null);
        return { headingId: s.headingId, scriptId: s.scriptId, title: s.title, sequence: s.sequenceNumber ?? 0, ...(ctx ? { context: ctx } : {}) };
      }),
      story,
      orchestration: { csoundFilePath: '', lilyPondFilePath: '', midiFilePath: '' },
    };
  }
}

/** A script version's snapshot, as the core writes it. */
interface ScriptSnapshot {
  script: { title: string; author: string; description: string };
  characters: Character[];
  sections: (SectionHeading & { elements: Element[]; format?: unknown })[];
}

export const ORCHESTRATION_DIR = '/data/orchestration';
/** A 1×1 PNG. */
export const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
/** The core's mood table as `fountainai moods` prints it (tests/orchestration.rs keeps it current). */
export const MOOD_TABLE = CORE_MOODS as MoodRow[];
