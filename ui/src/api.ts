// Typed wrappers over the app's Tauri commands: the one place `invoke` is called.
// JSON is camelCase; Tauri maps camelCase argument names to the commands' snake_case ones.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

// ---- types: generated from the Rust core (tests/ui_contract.rs) --------------

import type { Command } from './generated/commands';
import type {
  Script, NewScript, ScriptUpdate, ScriptQuery, ScriptList, SectionHeading, SectionOrder, RemovedSection,
  Element, NewElement, ElementUpdate, MoveElement, Character, NewCharacter, CharacterUpdate, CharacterLines,
  ElementType, Paraphrase, Promotion, Session, NewSession, SessionUpdate, ContextTarget, Context, SessionContext, Placement, ReorderResult,
  Version, VersionSummary, VersionDiff, StoryRequest,
  FullStory, ValidationReport, LoadedScript, ImportSummary, SyncSummary,
  EditorText, EditorSave, MergeSummary, Draft, RemovedElement, RemovedCharacter, RemovedSession,
  Score, Mood, ScoreFiles, Preview, Progress, WatchEvent, LinkedFile, BundleExported,
  Ports, OutputChoice, TransportState, TransportCommand, StartAt, Playing, RecordOptions, Recorded, Report, Leitmotif,
  SceneMoods, MoodReview, ScriptReport, ReportTable,
  Backup, Restored,
  Pages, Paper, PdfOptions, ExportFormat, FileExported, ContextValues,
  Access, RoomChange,
} from './generated/core';

// Every generated type, for the views and tests that import them from here.
export type * from './generated/core';

/** One row of the mood table. */
export type MoodRow = Mood;
/** The files an orchestration wrote. */
export type Orchestration = ScoreFiles;
/** What a paraphrase can stand in for. */
export type ParaphraseType = Extract<ElementType, 'character' | 'action' | 'spokenWord'>;
export type ContextData = Record<string, string>;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---- errors -------------------------------------------------------------------------------

/** The core's `{code, message}` error. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err && typeof err === 'object' && 'message' in err) {
    const e = err as { code?: unknown; message?: unknown };
    return new ApiError(typeof e.code === 'string' ? e.code : 'error', String(e.message));
  }
  return new ApiError('error', typeof err === 'string' ? err : 'Something went wrong.');
}

// ---- busy tracking (for the progress indicator) -------------------------------------------

type BusyListener = (busy: boolean) => void;
const busyListeners = new Set<BusyListener>();
let pending = 0;
let busyTimer: ReturnType<typeof setTimeout> | null = null;
let busyShown = false;
/** A command running longer than this shows the progress indicator. */
export const BUSY_DELAY_MS = 150;

export function onBusyChange(listener: BusyListener): () => void {
  busyListeners.add(listener);
  return () => busyListeners.delete(listener);
}

function setBusy(busy: boolean): void {
  if (busy === busyShown) return;
  busyShown = busy;
  for (const l of busyListeners) l(busy);
}

async function call<T>(cmd: Command, args?: Record<string, unknown>): Promise<T> {
  pending += 1;
  if (pending === 1 && busyTimer === null) {
    busyTimer = setTimeout(() => {
      busyTimer = null;
      if (pending > 0) setBusy(true);
    }, BUSY_DELAY_MS);
  }
  try {
    return await invoke<T>(cmd, args);
  } catch (err) {
    throw toApiError(err);
  } finally {
    pending -= 1;
    if (pending === 0) {
      if (busyTimer !== null) {
        clearTimeout(busyTimer);
        busyTimer = null;
      }
      setBusy(false);
    }
  }
}

// ---- commands -------------------------------------------------------------------------------

export const api = {
  scriptCreate: (newScript: NewScript) => call<Script>('script_create', { new: newScript }),
  scriptList: (query: ScriptQuery = {}) => call<ScriptList>('script_list', { query }),
  scriptGet: (scriptId: number) => call<Script>('script_get', { scriptId }),
  scriptUpdate: (scriptId: number, update: ScriptUpdate) => call<Script>('script_update', { scriptId, update }),
  scriptDelete: (scriptId: number) => call<null>('script_delete', { scriptId }),

  sectionAdd: (scriptId: number, title: string) => call<SectionHeading>('section_add', { scriptId, title }),
  sectionList: (scriptId: number) => call<SectionHeading[]>('section_list', { scriptId }),
  sectionUpdate: (headingId: number, title: string) => call<SectionHeading>('section_update', { headingId, title }),
  sectionDelete: (headingId: number) => call<null>('section_delete', { headingId }),
  /** Deletes a section and returns all it deleted, for sectionRestore (undo). */
  sectionRemove: (headingId: number) => call<RemovedSection>('section_remove', { headingId }),
  sectionRestore: (removed: RemovedSection) => call<SectionHeading>('section_restore', { removed }),
  sectionReorder: (scriptId: number, order: number[]) => call<SectionOrder>('section_reorder', { scriptId, order }),

  elementAdd: (headingId: number, element: NewElement) => call<Element>('element_add', { headingId, element }),
  elementList: (headingId: number) => call<Element[]>('element_list', { headingId }),
  elementUpdate: (elementId: number, update: ElementUpdate) => call<Element>('element_update', { elementId, update }),
  elementDelete: (elementId: number) => call<null>('element_delete', { elementId }),
  elementMove: (elementId: number, to: MoveElement) => call<Element>('element_move', { elementId, to }),
  /** Deletes an element and returns all it deleted (format, alts, contexts), for elementRestore (undo). */
  elementRemove: (elementId: number) => call<RemovedElement>('element_remove', { elementId }),
  elementRestore: (removed: RemovedElement) => call<Element>('element_restore', { removed }),

  characterCreate: (scriptId: number, newCharacter: NewCharacter) => call<Character>('character_create', { scriptId, new: newCharacter }),
  characterList: (scriptId: number) => call<Character[]>('character_list', { scriptId }),
  characterUpdate: (characterId: number, update: CharacterUpdate) => call<Character>('character_update', { characterId, update }),
  characterDelete: (characterId: number) => call<null>('character_delete', { characterId }),
  characterRemove: (characterId: number) => call<RemovedCharacter>('character_remove', { characterId }),
  characterRestore: (removed: RemovedCharacter) => call<Character>('character_restore', { removed }),
  characterLines: (characterId: number) => call<CharacterLines>('character_lines', { characterId }),

  paraphraseAdd: (originalType: ParaphraseType, originalId: number, text: string, commentary: string) =>
    call<Paraphrase>('paraphrase_add', { originalType, originalId, text, commentary }),
  paraphraseList: (originalType: ParaphraseType, originalId: number) => call<Paraphrase[]>('paraphrase_list', { originalType, originalId }),
  paraphrasePromote: (paraphraseId: number) => call<Promotion>('paraphrase_promote', { paraphraseId }),
  paraphraseDelete: (paraphraseId: number) => call<null>('paraphrase_delete', { paraphraseId }),

  sessionCreate: (newSession: NewSession) => call<Session>('session_create', { new: newSession }),
  sessionList: (scriptId?: number | null) => call<Session[]>('session_list', { scriptId: scriptId ?? null }),
  sessionUpdate: (sessionId: number, update: SessionUpdate) => call<Session>('session_update', { sessionId, update }),
  sessionDelete: (sessionId: number) => call<null>('session_delete', { sessionId }),
  sessionRemove: (sessionId: number) => call<RemovedSession>('session_remove', { sessionId }),
  sessionRestore: (removed: RemovedSession) => call<Session>('session_restore', { removed }),

  contextGet: (sessionId: number) => call<SessionContext>('context_get', { sessionId }),
  contextSet: (sessionId: number, target: ContextTarget, data: ContextData, unset: string[] = []) =>
    call<Context>('context_set', { sessionId, target, data, unset }),
  contextDelete: (contextId: number) => call<null>('context_delete', { contextId }),
  /** Each target's context exactly as given (empty data removes it), in one transaction. */
  contextPut: (sessionId: number, contexts: ContextValues[]) => call<SessionContext>('context_put', { sessionId, contexts }),

  sequenceReorder: (elementType: ElementType, scope: number | null, placements: Placement[]) =>
    call<ReorderResult>('sequence_reorder', { elementType, scope, placements }),

  versionCreate: (elementType: ElementType, elementId: number, comment: string) => call<Version>('version_create', { elementType, elementId, comment }),
  versionList: (elementType: ElementType, elementId: number) => call<VersionSummary[]>('version_list', { elementType, elementId }),
  versionGet: (elementType: ElementType, elementId: number, version: number) => call<Version>('version_get', { elementType, elementId, version }),
  versionDiff: (elementType: ElementType, elementId: number, from: number, to: number) =>
    call<VersionDiff>('version_diff', { elementType, elementId, from, to }),
  versionRestore: (elementType: ElementType, elementId: number, version: number) => call<Version>('version_restore', { elementType, elementId, version }),

  storyFull: (request: StoryRequest) => call<FullStory>('story_full', { request }),
  storyValidate: (scriptId: number) => call<ValidationReport>('story_validate', { scriptId }),

  exampleLoad: (name: string) => call<LoadedScript>('example_load', { name }),

  settingGet: (key: string) => call<Json>('setting_get', { key }),
  settingSet: (key: string, value: Json) => call<Json>('setting_set', { key, value }),

  /** Suggests every scene's mood from its text into the session "Suggested moods" (or the one given). */
  moodsSuggest: (scriptId: number, sessionId: number | null) => call<SceneMoods>('moods_suggest', { scriptId, sessionId }),
  moodsList: (sessionId: number) => call<SceneMoods>('moods_list', { sessionId }),
  moodsReview: (review: MoodReview) => call<SceneMoods>('moods_review', { review }),
  reportGet: (scriptId: number, sessionId: number | null) => call<ScriptReport>('report_get', { scriptId, sessionId }),
  reportCsv: (scriptId: number, sessionId: number | null, table: ReportTable) => call<string>('report_csv', { scriptId, sessionId, table }),
  /** Asks where to save a chart (.svg, .png) or table (.csv) in a native dialog and writes it there; the path, or null when cancelled. */
  reportSaveDialog: (name: string, data: Uint8Array) => call<string | null>('report_save_dialog', { name, data: Array.from(data) }),
  musicMoods: () => call<MoodRow[]>('music_moods'),
  musicScore: (scriptId: number, sessionId: number | null) => call<Score>('music_score', { scriptId, sessionId }),
  /** Writes MIDI, LilyPond and Csound files (and with `render`, PDF/PNG and WAV) to the orchestration folder. */
  musicOrchestrate: (scriptId: number, sessionId: number | null, render: boolean) => call<Orchestration>('music_orchestrate', { scriptId, sessionId, render }),
  /** A sheet-music page (a PNG in the orchestration folder) as base64. */
  musicSheetPng: (path: string) => call<string>('music_sheet_png', { path }),
  /** Renders the score to WAV with the SoundFont synth; the file's path. */
  musicRenderAudio: (scriptId: number, sessionId: number | null) => call<Preview>('music_render_audio', { scriptId, sessionId }),
  /** Calls `listener` for every `progress` event until the returned function is called. */
  onProgress: (listener: (progress: Progress) => void) => listen<Progress>('progress', (event) => listener(event.payload)),
  screenplayFountainText: (scriptId: number) => call<string>('screenplay_fountain_text', { scriptId }),
  /** Saves the editor's text; from `baseRevision`, refused with `conflict` when the script changed since. */
  screenplaySync: (scriptId: number, text: string, baseRevision: number | null = null) => call<SyncSummary>('screenplay_sync', { scriptId, text, baseRevision }),
  /** The script's Fountain text with its revision, read together. */
  screenplayEditorText: (scriptId: number) => call<EditorText>('screenplay_editor_text', { scriptId }),
  /** The editor's save: stored as it is when the script is still at `baseRevision`, merged with the changes made since otherwise. */
  screenplaySave: (scriptId: number, save: EditorSave) => call<MergeSummary>('screenplay_save', { scriptId, save }),
  /** Merges the writer's `text` (written from `base`) with the script as stored now. */
  screenplayMerge: (scriptId: number, base: string, text: string) => call<MergeSummary>('screenplay_merge', { scriptId, base, text }),
  draftSave: (scriptId: number, text: string, baseText: string, baseRevision: number) => call<Draft>('draft_save', { scriptId, text, baseText, baseRevision }),
  draftGet: (scriptId: number) => call<Draft | null>('draft_get', { scriptId }),
  draftClear: (scriptId: number) => call<null>('draft_clear', { scriptId }),
  /** Imports the file the app was started with (once); null when there was none. */
  screenplayLaunchImport: () => call<ImportSummary | null>('screenplay_launch_import'),
  /** Asks for a file in a native dialog and imports it; null when the writer cancelled. */
  screenplayImportDialog: () => call<ImportSummary | null>('screenplay_import_dialog'),
  /** Asks where to save in a native dialog and exports there; the path, or null when cancelled. */
  screenplayExportDialog: (scriptId: number, format: ExportFormat, pdf?: PdfOptions) => call<FileExported | null>('screenplay_export_dialog', pdf ? { scriptId, format, pdf } : { scriptId, format }),
  /** The page count and where pages start in the editor's text, as the PDF export breaks them. */
  screenplayPages: (scriptId: number, paper?: Paper) => call<Pages>('screenplay_pages', paper ? { scriptId, paper } : { scriptId }),
  /** Asks where to save in a native dialog and writes the story bundle there; null when cancelled. */
  bundleExportDialog: (scriptId: number, sessionId: number | null) => call<BundleExported | null>('bundle_export_dialog', { scriptId, sessionId }),
  bundleExport: (scriptId: number, sessionId: number | null, path: string) => call<BundleExported>('bundle_export', { scriptId, sessionId, path }),
  /** Asks for the .fountain file to follow in a native dialog; null when cancelled. */
  scriptLinkDialog: (scriptId: number) => call<LinkedFile | null>('script_link_dialog', { scriptId }),
  scriptLink: (scriptId: number, path: string) => call<LinkedFile>('script_link', { scriptId, path }),
  scriptUnlink: (scriptId: number) => call<LinkedFile>('script_unlink', { scriptId }),
  scriptLinked: (scriptId: number) => call<LinkedFile | null>('script_linked', { scriptId }),

  // Live: the transport, the output picker and leitmotifs from a keyboard (src-tauri/src/live.rs).
  livePorts: () => call<Ports>('live_ports'),
  liveState: () => call<TransportState>('live_state'),
  /** Connects the output (speakers or a MIDI port) and remembers it. */
  liveOutputChoose: (output: OutputChoice) => call<TransportState>('live_output_choose', { output }),
  livePlay: (scriptId: number, sessionId: number | null, start: StartAt) => call<Playing>('live_play', { scriptId, sessionId, start }),
  liveTransport: (command: TransportCommand) => call<TransportState>('live_transport', { command }),
  /** Resolves once the count-in is over and recording has begun. */
  liveRecordStart: (input: string, options: RecordOptions) => call<TransportState>('live_record_start', { input, options }),
  liveRecordStop: () => call<Recorded>('live_record_stop'),
  liveAudition: (leitmotif: Leitmotif, program: number) => call<number>('live_audition', { leitmotif, program }),
  /** The player's reports (position about 20 times a second, ended, stopped, failed). */
  onLiveReport: (listener: (report: Report) => void) => listen<Report>('live-report', (event) => listener(event.payload)),
  /** The MIDI ports, whenever one comes or goes. */
  onMidiPorts: (listener: (ports: Ports) => void) => listen<Ports>('midi-ports', (event) => listener(event.payload)),

  // Backups of the library (src-tauri/src/backups.rs).
  /** The library's backups, newest first, with their dates and script counts. */
  backupList: () => call<Backup[]>('backup_list'),
  backupCreate: () => call<Backup>('backup_create'),
  /** Replaces the library with a backup after saving the current one as a backup. */
  backupRestore: (path: string) => call<Restored>('backup_restore', { path }),

  // The writers' room (src-tauri/src/room.rs).
  /** Whether this is a room, who the writer is there, and whether they may write. */
  roomAccess: () => call<Access>('room_access'),
  /** The script shown now (null: none), whose changes by other writers arrive as `room-change`. */
  roomFollow: (scriptId: number | null) => call<null>('room_follow', { scriptId }),
  /** Checks the room's address, user and password, keeps the password in the keyring, and starts the app again on the room. */
  roomOpen: (url: string, user: string, password: string | null) => call<null>('room_open', { url, user, password }),
  /** Starts the app again on the local library. */
  roomOpenLocal: () => call<null>('room_open_local'),
  /** What the writer should hear once about the room (e.g. no keyring here), or null. */
  roomNote: () => call<string | null>('room_note'),

  /** Tells the app the first screen is painted (it reports the cold-start time). */
  appReady: () => call<void>('app_ready'),
  /** Answers a close request: `quit` closes the window; otherwise it stays open. */
  appClose: (quit: boolean) => call<void>('app_close', { quit }),
};

export type Api = typeof api;

// ---- events from the app ---------------------------------------------------------------------

/** The app imported a script (menu, command line) and wants it shown. */
export const onOpenScript = (handler: (scriptId: number) => void): Promise<UnlistenFn> => listen<number>('open-script', (e) => handler(e.payload));
/** An error from work the app did on its own (a menu item). */
export const onAppError = (handler: (err: unknown) => void): Promise<UnlistenFn> => listen<unknown>('app-error', (e) => handler(e.payload));
/** The window's close button or File → Quit: the app waits for `appClose`. */
export const onCloseRequested = (handler: () => void): Promise<UnlistenFn> => listen<null>('close-requested', () => handler());
/** What the linked-file watcher did: an outside edit synced in, the script written out, a conflict copy, an unlink. */
export const onLinkedFile = (handler: (event: WatchEvent) => void): Promise<UnlistenFn> => listen<WatchEvent>('linked-file', (e) => handler(e.payload));
/** Another writer (or this window) committed a change to the room: the followed script (with its revision) or the list of scripts. */
export const onRoomChange = (handler: (change: RoomChange) => void): Promise<UnlistenFn> => listen<RoomChange>('room-change', (e) => handler(e.payload));
/** A menu item the web UI handles (e.g. 'new-script'). */
export const onMenu = (handler: (id: string) => void): Promise<UnlistenFn> => listen<string>('menu', (e) => handler(e.payload));
