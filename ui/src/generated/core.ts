// Generated from the Rust core by tests/ui_contract.rs; do not edit.

export type Script = { scriptId: number, title: string, author: string, description: string, sequenceNumber: number | null, createdAt: string, updatedAt: string, 
/**
 * One more on every change: what an editor's save says it started from.
 */
revision: number, };
export type NewScript = { title: string, author?: string | null, description?: string | null, };
export type ScriptUpdate = { title?: string, author?: string, description?: string, };
export type ScriptQuery = { limit?: number, offset?: number, 
/**
 * Case-insensitive substring of the title.
 */
title?: string, 
/**
 * Case-insensitive substring of the author.
 */
author?: string, };
export type ScriptList = { scripts: Array<Script>, totalCount: number, };
export type SectionHeading = { headingId: number, scriptId: number, title: string, sequenceNumber: number | null, };
export type SectionPlacement = { headingId: number, newSequence: number, };
export type SectionOrder = { scriptId: number, 
/**
 * Every section of the script in its new order.
 */
updatedElements: Array<SectionPlacement>, };
/**
 * A deleted section with its elements, their paraphrases and the contexts set on either.
 */
export type RemovedSection = { section: SectionHeading, elements: Array<Element>, paraphrases: Array<Paraphrase>, contexts: Array<Context>, 
/**
 * What an imported screenplay says beyond the services' fields, so it exports the same.
 */
headingFormat: HeadingFormat, elementFormats: Array<ElementFormat>, };
/**
 * A section's scene number and whether it holds what came before the first heading.
 */
export type HeadingFormat = { sceneNumber: string | null, untitled: boolean, 
/**
 * The writer's Fountain text and what it was read as (`screenplay/source.rs`); saved
 * before it was kept, none: the text there stays.
 */
source: string | null, sourceOf: number | null, };
/**
 * A cue's extension, dual dialogue, a continued dialogue block, a `#` section's depth.
 */
export type ElementFormat = { elementId: number, extension: string | null, dual: boolean, continues: boolean, depth: number | null, source: string | null, sourceOf: number | null, };
export type ElementKind = "action" | "dialogue" | "transition" | "lyrics" | "centered" | "note" | "synopsis" | "page_break" | "section" | "boneyard";
export type Element = { elementId: number, 
/**
 * The v1 contract's names for the same id, present for actions and spoken words.
 */
actionId?: number | null, dialogueId?: number | null, headingId: number, kind: ElementKind, text: string, characterId: number | null, parenthetical: string | null, sequenceNumber: number | null, };
export type NewElement = { kind: ElementKind, text: string, characterId?: number | null, parenthetical?: string | null, 
/**
 * Where to insert (1 = first); at the end when absent.
 */
position?: number | null, };
export type ElementUpdate = { text?: string, characterId?: number, 
/**
 * An empty string removes the parenthetical.
 */
parenthetical?: string, };
export type MoveElement = { 
/**
 * Another section of the same script to move into; the same section when absent.
 */
headingId?: number | null, position: number, };
export type Character = { characterId: number, scriptId: number, name: string, description: string, sequenceNumber: number | null, 
/**
 * General MIDI program (0-127) in the score; None derives one from the name.
 */
instrument: number | null, 
/**
 * None derives one from the name.
 */
leitmotif: Leitmotif | null, };
export type NewCharacter = { name: string, description?: string | null, };
export type CharacterUpdate = { name?: string, description?: string, 
/**
 * Absent keeps the instrument; `null` goes back to the one derived from the name.
 */
instrument?: number | null, 
/**
 * Absent keeps the leitmotif; `null` goes back to the one derived from the name.
 */
leitmotif?: Leitmotif | null, };
/**
 * What a character does and says, in story order.
 */
export type CharacterLines = { characterId: number, actions: Array<Element>, spokenWords: Array<Element>, };
/**
 * The motif as scale degrees (0 = the tonic, 7 = an octave up) with lengths in eighth notes,
 * so it can be played in any key, mode and register. Stored as JSON text on the character.
 */
export type Leitmotif = Array<MotifNote>;
export type MotifNote = { degree: number, length: number, };
export type Paraphrase = { paraphraseId: number, originalType: ElementType, originalId: number, text: string, commentary: string, createdAt: string, };
export type Promotion = { 
/**
 * The text now in use.
 */
text: string, 
/**
 * The paraphrase, now holding the text that was in use before.
 */
paraphrase: Paraphrase, };
export type Session = { sessionId: number, userId: number, 
/**
 * The script this session interprets; set on creation or by its first context.
 */
scriptId: number | null, 
/**
 * Free text: what this interpretation is about.
 */
context: string, createdAt: string, updatedAt: string, };
export type NewSession = { userId?: number | null, scriptId?: number | null, context?: string | null, };
export type SessionUpdate = { userId?: number, context?: string, };
export type Context = { contextId: number, sessionId: number, headingId: number | null, characterId: number | null, elementId: number | null, 
/**
 * Sorted by key, so output is deterministic. Shared, because the Story Factory hands the
 * same context to every item of a scene.
 */
data: { [key in string]: string }, };
/**
 * What a context is attached to. No section means "every section"; no character means
 * "the scene as a whole"; an element narrows it to one line or action.
 */
export type ContextTarget = { headingId?: number | null, characterId?: number | null, elementId?: number | null, };
export type SessionContext = { contexts: Array<Context>, sessionId: number, userId: number, 
/**
 * The script this session interprets; set on creation or by its first context.
 */
scriptId: number | null, 
/**
 * Free text: what this interpretation is about.
 */
context: string, createdAt: string, updatedAt: string, };
export type ElementType = "script" | "section" | "character" | "action" | "spokenWord" | "transition" | "element";
/**
 * One element's requested or resulting place.
 */
export type Placement = { elementId: number, newSequence: number, };
export type SequenceNumber = { elementType: ElementType, elementId: number, sequenceNumber: number, };
export type ReorderResult = { elementType: ElementType, scopeId: number, 
/**
 * The whole scope in its new order, 1..n.
 */
updatedElements: Array<Placement>, };
export type Version = { elementType: ElementType, elementId: number, versionNumber: number, comment: string, createdAt: string, 
/**
 * Who saved it: the writers' room's role, or the app's user name on this computer.
 */
createdBy: string, data: JsonValue, };
export type VersionSummary = { versionNumber: number, comment: string, createdAt: string, createdBy: string, };
export type VersionChange = { 
/**
 * Where in the snapshot, e.g. `sections[headingId=3].elements[elementId=9].text`.
 */
path: string, before: JsonValue | null, after: JsonValue | null, };
export type VersionDiff = { from: number, to: number, changes: Array<VersionChange>, };
export type StoryRequest = { scriptId: number, sessionId?: number | null, 
/**
 * Only the story items of this character.
 */
filterByCharacter?: number | null, 
/**
 * Only the story items whose context has this key with this value.
 */
filterByContext?: [string, string] | null, };
export type FullStory = { scriptId: number, title: string, author: string, description: string, sessionId?: number | null, sections: Array<StorySection>, story: Array<StoryItem>, orchestration: StoryOrchestration, };
export type StorySection = { headingId: number, scriptId: number, title: string, sequence: number, 
/**
 * The section-wide context under the session, if any.
 */
context?: StoryContext | null, };
/**
 * One element of the story. `sequence` runs 1..n over the whole script, so a filtered story
 * keeps each item's true place.
 */
export type StoryItem = { sequence: number, headingId: number, elementId: number, elementType: ElementKind, text: string, character?: StoryCharacter | null, action?: StoryAction | null, spokenWord?: StorySpokenWord | null, context?: StoryContext | null, };
export type StoryCharacter = { characterId: number, name: string, description: string, };
export type StoryAction = { actionId: number, description: string, };
export type StorySpokenWord = { dialogueId: number, text: string, parenthetical?: string | null, };
/**
 * The context that applies to an item: the section's, overlaid with the character's
 * session-wide context, then the character's context in that section, then the item's own.
 * `contextId` names the most specific context that contributed.
 */
export type StoryContext = { contextId: number, 
/**
 * Shared: every item of a scene usually carries the same context.
 */
data: { [key in string]: string }, };
/**
 * Where the orchestration files are; empty until a score has been generated.
 */
export type StoryOrchestration = { csoundFilePath: string, lilyPondFilePath: string, midiFilePath: string, };
export type StorySequences = { scriptId: number, sequences: Array<StoryItem>, };
export type Severity = "error" | "warning";
export type ValidationIssue = { 
/**
 * gap, duplicate, unordered, danglingReference or silentCharacter.
 */
kind: string, severity: Severity, elementType: ElementType, elementId: number, 
/**
 * The section at fault (or holding the element at fault), for a link in the UI.
 */
headingId?: number | null, message: string, };
export type ValidationReport = { scriptId: number, 
/**
 * True when there is no error (warnings allowed).
 */
valid: boolean, issues: Array<ValidationIssue>, };
export type LoadedScript = { scriptId: number, sessionIds: Array<number>, sections: number, characters: number, elements: number, };
/**
 * What an import created.
 */
export type ImportSummary = { scriptId: number, sections: number, characters: number, elements: number, };
export type Counts = { kept: number, added: number, changed: number, removed: number, };
/**
 * What a sync did to the script's sections and elements, and the script's revision after it
 * (what the editor's next sync starts from).
 */
export type SyncSummary = { sections: Counts, elements: Counts, revision: number, };
/**
 * The script's Fountain text and the revision it belongs to, read together: what the editor
 * loads and hands back as `baseRevision`.
 */
export type EditorText = { text: string, revision: number, 
/**
 * Where each stored element starts in `text`, for the editor to follow the music.
 */
lines: Array<TextLine>, };
/**
 * A stored element and the line of the editor's text it starts on (1-based).
 */
export type TextLine = { elementId: number, line: number, };
/**
 * What merging the editor's text did: the sync's counts and the new revision, the merged
 * text (what the editor shows from now on), and the scenes both sides had changed.
 */
export type MergeSummary = { sync: SyncSummary, text: string, 
/**
 * The script had changed since the writer's text was loaded, so the two were merged
 * (false: the text was saved as it is).
 */
merged: boolean, 
/**
 * The scenes another writer changed since, by the scenes' revisions, in script order.
 */
changedElsewhere: Array<ChangedScene>, bothChanged: Array<MergedScene>, 
/**
 * Both sides changed the same line of the title page: the other writer's stands, this
 * writer's beside it (`KEY your version`).
 */
titlePageBoth: boolean, 
/**
 * Set when the writer changed lines another writer had changed too: saving those lines
 * was refused (code `conflict`); the other writer's lines stand and the writer's are
 * their alts (`both_changed`). Everything else was saved.
 */
conflict: LineConflict | null, };
/**
 * A scene both sides changed: the other version stands, the writer's lines are its alts.
 */
export type MergedScene = { headingId: number, title: string, alts: Array<Paraphrase>, };
/**
 * A scene another writer changed since the editor's text was loaded.
 */
export type ChangedScene = { headingId: number, title: string, revision: number, };
/**
 * The lines of a save refused because another writer changed them first.
 */
export type LineConflict = { 
/**
 * Always `conflict`, the code a refused save has everywhere.
 */
code: string, message: string, };
/**
 * The editor's save: its text, and the text and script revision it was written from.
 */
export type EditorSave = { text: string, baseText: string, baseRevision: number, };
/**
 * Text the editor held but had not saved, with what it was written from (for the merge, when
 * the script changed since).
 */
export type Draft = { scriptId: number, text: string, 
/**
 * The text the editor had loaded or last saved.
 */
baseText: string, 
/**
 * The script's revision `base_text` belongs to.
 */
baseRevision: number, 
/**
 * When the draft was kept (UTC, RFC 3339).
 */
updatedAt: string, };
/**
 * A deleted element with its format, its paraphrases and the contexts set on it.
 */
export type RemovedElement = { element: Element, format: ElementFormat, paraphrases: Array<Paraphrase>, contexts: Array<Context>, };
/**
 * A deleted character with its paraphrases and the contexts set on it.
 */
export type RemovedCharacter = { character: Character, paraphrases: Array<Paraphrase>, contexts: Array<Context>, };
/**
 * A deleted session with all its contexts.
 */
export type RemovedSession = { session: Session, contexts: Array<Context>, };
export type Score = { title: string, ppq: number, 
/**
 * Sorted by tick; the first change is at tick 0.
 */
tempoMap: Array<TempoChange>, 
/**
 * Beats per bar and the beat's note value (4 = quarter); constant for the whole score.
 */
timeSignature: [number, number], tracks: Array<Track>, 
/**
 * Sorted by (onset, track, pitch).
 */
notes: Array<Note>, 
/**
 * Scene headings, at the tick their cue starts.
 */
markers: Array<Marker>, cues: Array<Cue>, 
/**
 * Every line of the script, in script order, with the time it takes, so a player can
 * show the line it plays and start from a line.
 */
lines: Array<LineSpan>, };
/**
 * Where a line of the script sounds: from the tick its printed lines begin (where a
 * speaker's motif starts) to where they end or its motif stops, whichever is later. Lines
 * that print nothing (notes, synopses) take no time: `start_tick == end_tick`.
 */
export type LineSpan = { elementId: number, 
/**
 * Index into `Score::cues`.
 */
cue: number, startTick: number, endTick: number, };
export type TempoChange = { tick: number, microsPerQuarter: number, };
export type Track = { name: string, 
/**
 * The speaking character this track plays, or None for the underscore.
 */
characterId: number | null, 
/**
 * General MIDI program, 0-based.
 */
program: number, 
/**
 * MIDI channel, 0-based; 9 (drums) is never used.
 */
channel: number, family: Family, };
/**
 * Timbre families: back ends without General MIDI (Csound) pick one instrument per family.
 */
export type Family = "keys" | "plucked" | "strings" | "brass" | "woodwinds" | "pad";
export type Note = { onset: number, length: number, 
/**
 * Index into `Score::tracks`.
 */
track: number, channel: number, pitch: number, velocity: number, };
export type Marker = { tick: number, text: string, };
export type Mode = "ionian" | "dorian" | "phrygian" | "lydian" | "mixolydian" | "aeolian" | "locrian";
export type Cue = { 
/**
 * The film way: reel 1, music 1, 2, ... ("1M1", "1M2").
 */
name: string, sectionId: number, heading: string, 
/**
 * The mood as the writer set it; empty when none was set.
 */
mood: string, mode: Mode, 
/**
 * Pitch class of the tonic, 0 = C.
 */
tonic: number, bpm: number, startTick: number, endTick: number, startSeconds: number, endSeconds: number, };
/**
 * One row of the table. Ranges are inclusive `[low, high]`; the composer picks a value
 * inside them per cue, deterministically.
 */
export type Mood = { mood: string, 
/**
 * Other words a writer may use for this mood (matched case-insensitively).
 */
synonyms: Array<string>, 
/**
 * The usual mode; `modes` lists every mode a cue in this mood may take.
 */
mode: Mode, modes: Array<Mode>, 
/**
 * Beats per minute.
 */
tempo: [number, number], 
/**
 * MIDI pitch of the melody's centre; a range wider than two octaves means "the extremes".
 */
register: [number, number], velocity: [number, number], articulation: Articulation, };
/**
 * How long a note sounds within its written length.
 */
export type Articulation = "legato" | "tenuto" | "staccato" | "marcato";
/**
 * What was written, with absolute paths.
 */
export type ScoreFiles = { midiFilePath: string, lilyPondFilePath: string, csoundFilePath: string, pdfFilePath?: string, pngFilePaths?: Array<string>, wavFilePath?: string, cues: Array<Cue>, };
/**
 * A preview WAV of the story's score through a General MIDI SoundFont.
 */
export type Preview = { wavFilePath: string, soundFontPath: string, durationSeconds: number, };
/**
 * `done` of `total` steps of `task`; the last report has `done == total`.
 */
export type Progress = { task: string, step: string, done: number, total: number, };
export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;
/**
 * Where the writer asked the music to start.
 */
export type StartAt = { "kind": "seconds", seconds: number, } | { "kind": "cue", name: string, } | { "kind": "scene", headingId: number, } | { "kind": "line", elementId: number, };
/**
 * What the player tells its owner; the app forwards these as events.
 */
export type Report = { "kind": "position", seconds: number, tick: number, cue: string | null, } | { "kind": "ended" } | { "kind": "stopped" } | { "kind": "failed", code: string, message: string, };
export type Port = { 
/**
 * midir's `id()`: ALSA "client:port", JACK the full port name.
 */
id: string, name: string, };
export type Ports = { outputs: Array<Port>, inputs: Array<Port>, };
/**
 * Where the music goes.
 */
export type OutputChoice = { "kind": "speakers" } | { "kind": "port" } & Port;
/**
 * What the transport is set to, for the UI's picker and clock toggle.
 */
export type TransportState = { output: OutputChoice, clock: boolean, recording: boolean, };
/**
 * A command for the music that is playing.
 */
export type TransportCommand = { "kind": "pause" } | { "kind": "resume" } | { "kind": "stop" } | { "kind": "panic" } | { "kind": "seek", seconds: number, } | { "kind": "loop", cue: string | null, } | { "kind": "clock", on: boolean, };
/**
 * A take turned into a leitmotif.
 */
export type Recorded = { leitmotif: Leitmotif, 
/**
 * Notes struck in the take (chords count every key).
 */
notes: number, 
/**
 * Why thru stopped forwarding, if it did.
 */
thruError: string | null, };
export type RecordOptions = { 
/**
 * The grid onsets and lengths snap to, as a note value: 8 = eighths (the default), 4 =
 * quarters, 2 = halves, 1 = whole notes. Leitmotifs count in eighths, so nothing finer.
 */
grid: number, bpm: number, 
/**
 * Clicks on the output before recording starts (a bar of 4 is usual; 0 for none).
 */
countInBeats: number, };
/**
 * What started playing.
 */
export type Playing = { fromSeconds: number, };
/**
 * What the watcher did, for the writer.
 */
export type WatchEvent = { scriptId: number, path: string, change: WatchChange, message: string, conflictCopy?: string | null, };
export type WatchChange = "fromFile" | "toFile" | "conflict" | "unlinked" | "failed";
export type LinkedFile = { scriptId: number, path: string, syncedRevision: number, };
export type BundleExported = { scriptId: number, path: string, bytes: number, entries: Array<string>, skipped: Array<Skipped>, };
/**
 * A rendered entry that was left out, and why.
 */
export type Skipped = { name: string, reason: string, };
/**
 * What the Story Factory proposes for one scene, and why.
 */
export type Suggestion = { 
/**
 * A mood of the table, or "neutral".
 */
mood: string, 
/**
 * 0..1, two decimals.
 */
confidence: number, 
/**
 * The words and signals that decided it, strongest first.
 */
evidence: Array<string>, };
/**
 * A scene's mood in a session: what the factory suggested and what scores now.
 */
export type SceneMood = { headingId: number, title: string, 
/**
 * The material before the first heading.
 */
opening: boolean, suggestion?: Suggestion, 
/**
 * The mood the scene scores with under this session (none: neutral).
 */
mood?: string, 
/**
 * True when the mood (or its absence) is the writer's: accepted, changed, cleared or set
 * by hand; suggesting again leaves it.
 */
byWriter: boolean, };
/**
 * The moods of a script's scenes under one session.
 */
export type SceneMoods = { scriptId: number, sessionId: number, scenes: Array<SceneMood>, };
/**
 * What the writer does with suggestions: accept it, set another mood, or clear it.
 */
export type MoodDecision = "accept" | "set" | "clear";
/**
 * One decision, on one scene or (no `headingId`) on every scene whose mood is still the
 * suggestion's.
 */
export type MoodReview = { sessionId: number, headingId?: number | null, decision: MoodDecision, 
/**
 * The mood to set (for `set`).
 */
mood?: string | null, };
export type ScriptReport = { scriptId: number, title: string, sessionId?: number, totals: Totals, characters: Array<CharacterFigures>, scenes: Array<SceneFigures>, locations: Array<LocationFigures>, };
export type Totals = { 
/**
 * Length in eighths of a page, the scenes' lengths summed.
 */
eighths: number, 
/**
 * `eighths / 8`, one decimal.
 */
pages: number, 
/**
 * Scenes with a heading (the opening before the first heading is not one).
 */
scenes: number, speakingParts: number, dialogueLines: number, dialogueWords: number, 
/**
 * A minute a page.
 */
runtimeMinutes: number, };
export type CharacterFigures = { characterId: number, name: string, lines: number, words: number, scenes: number, 
/**
 * Percent of all dialogue words, one decimal.
 */
dialogueShare: number, 
/**
 * Scene numbers (1-based, script order) of the first and last line.
 */
firstScene: number, lastScene: number, };
export type SceneFigures = { headingId: number, 
/**
 * 1-based place in the script; the opening is 0.
 */
number: number, title: string, opening: boolean, eighths: number, speakers: Array<string>, location: string, timeOfDay: string, mood?: string, };
export type LocationFigures = { location: string, scenes: number, eighths: number, };
/**
 * A table of the report, as CSV.
 */
export type ReportTable = "characters" | "scenes" | "locations";
/**
 * One backup file, as `fountainai backup list` and File → Restore From Backup… show it.
 */
export type Backup = { path: string, 
/**
 * When it was made, RFC 3339 UTC.
 */
createdAt: string, bytes: number, 
/**
 * Scripts in it; absent when it cannot be read.
 */
scripts?: number | null, 
/**
 * Why it cannot be read; absent when it can.
 */
problem?: string | null, };
/**
 * What `restore` did.
 */
export type Restored = { 
/**
 * The backup restored from.
 */
restored: Backup, 
/**
 * The database as it was just before, saved as a backup.
 */
savedFirst: Backup, };
/**
 * A script's page count and where each page starts, as the PDF prints it.
 */
export type Pages = { scriptId: number, 
/**
 * Body pages (the title page is not counted, as in Final Draft).
 */
count: number, 
/**
 * Whether the PDF has a title page before them.
 */
titlePage: boolean, paper: Paper, 
/**
 * The revision of the script the lines refer to.
 */
revision: number, 
/**
 * The start of every page after the first.
 */
breaks: Array<PageStart>, };
/**
 * Where a page starts in the Fountain text: 1-based page and source line.
 */
export type PageStart = { page: number, line: number, };
/**
 * The paper a script is printed on. The layout rules stay the same; A4 is taller, so it holds
 * 58 lines instead of 54.
 */
export type Paper = "letter" | "a4";
/**
 * What the writer asks of an export beyond the screenplay.
 */
export type PdfOptions = { paper: Paper, 
/**
 * Printed large and light across every page ("DRAFT").
 */
watermark?: string, 
/**
 * A line at the top left of every script page ("Blue revision, 1/20/2026").
 */
header?: string, };
export type ExportFormat = "fountain" | "fdx" | "pdf";
/**
 * A script exported into a file: where, how big, and for a PDF its pages and what it could not
 * print.
 */
export type FileExported = { scriptId: number, format: ExportFormat, path: string, bytes: number, 
/**
 * A PDF's body pages, the title page not counted: the count the editor shows.
 */
pages?: number, 
/**
 * Characters no embedded font has (printed as `?`), each once; always empty for Fountain
 * and FDX, which carry the text as it is.
 */
missing: Array<string>, };
/**
 * A target's whole context, as [`put_contexts`] puts it back.
 */
export type ContextValues = { target: ContextTarget, 
/**
 * Every key the context is to hold; none removes the context.
 */
data: { [key in string]: string }, };
/**
 * What the user may do in the library open: everything in a file; in a room, what the
 * server grants them.
 */
export type Access = { 
/**
 * The room's URL without a password, when this is a room (the window's title says so).
 */
room: string | null, 
/**
 * The server's name for the user (a room's role), when this is a room.
 */
user: string | null, 
/**
 * False for a room's reader: the app shows the script read-only.
 */
mayWrite: boolean, };
/**
 * A change another writer (or this one) committed to the room.
 */
export type RoomChange = { scriptId: number, 
/**
 * The script's revision now; none when the change was to the library (a script added,
 * renamed or deleted) or the script is gone.
 */
revision: number | null, };
