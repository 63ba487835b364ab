// Line-by-line classification of Fountain text for the editor's highlighting and scene
// navigator. The Rust parser is the authority on meaning; this only has to agree with it on
// how a line looks, fast enough to run on every keystroke.

export type LineKind =
  | 'blank'
  | 'title_page'
  | 'scene_heading'
  | 'action'
  | 'character'
  | 'parenthetical'
  | 'dialogue'
  | 'transition'
  | 'centered'
  | 'lyrics'
  | 'section'
  | 'synopsis'
  | 'note'
  | 'boneyard'
  | 'page_break';

const SCENE = /^(?:int|ext|est|int\.?\/ext|i\/e)[. ]/i;
const TITLE_KEY = /^[^\s:][^:]*:/;
const PAGE_BREAK = /^\s*={3,}\s*$/;
/** `.HEADING` forces a scene heading; like the core's parser, a letter or digit must follow the dot. */
const FORCED_HEADING = /^\.[\p{L}\p{N}]/u;

export function isSceneHeading(line: string): boolean {
  const t = line.trim();
  return FORCED_HEADING.test(t) || SCENE.test(t);
}

/** All caps with at least one letter; an extension in parentheses and a dual-dialogue `^` may follow. */
export function isCharacterCue(line: string): boolean {
  const t = line.trim();
  if (t.startsWith('@')) return t.length > 1;
  const name = t.replace(/\s*\^$/, '').replace(/\s*\(.*\)\s*$/, '');
  return /\p{Lu}/u.test(name) && name === name.toUpperCase() && !/^[!#=~>.\[]/.test(name);
}

function isTransition(t: string): boolean {
  return (t.startsWith('>') && !t.endsWith('<')) || (t === t.toUpperCase() && t.endsWith('TO:'));
}

/** The kind of every line of `text` (split on \n; a trailing \r is ignored). */
export function classifyLines(text: string): LineKind[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const kinds: LineKind[] = new Array(lines.length);
  const blank = (i: number) => i < 0 || i >= lines.length || lines[i]!.trim() === '';
  let i = 0;

  // A title page: the first line is `Key: value`; it runs to the first blank line.
  if (lines.length > 0 && TITLE_KEY.test(lines[0]!) && !isSceneHeading(lines[0]!)) {
    while (i < lines.length && !blank(i)) kinds[i++] = 'title_page';
  }

  let inBoneyard = false;
  let inNote = false;
  let inDialogue = false;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    if (inBoneyard) {
      kinds[i] = 'boneyard';
      if (t.includes('*/')) inBoneyard = false;
      continue;
    }
    if (inNote) {
      kinds[i] = 'note';
      if (t.includes(']]')) inNote = false;
      continue;
    }
    if (t.startsWith('/*')) {
      kinds[i] = 'boneyard';
      inBoneyard = !t.slice(2).includes('*/');
      inDialogue = false;
      continue;
    }
    if (t.startsWith('[[') && (!t.includes(']]') || t.endsWith(']]'))) {
      kinds[i] = 'note';
      inNote = !t.includes(']]');
      continue;
    }
    if (t === '') {
      // Two spaces keep a dialogue block going across an empty-looking line.
      kinds[i] = inDialogue && line === '  ' && !blank(i + 1) ? 'dialogue' : 'blank';
      if (kinds[i] === 'blank') inDialogue = false;
      continue;
    }
    if (inDialogue) {
      kinds[i] = t.startsWith('(') && t.endsWith(')') ? 'parenthetical' : 'dialogue';
      continue;
    }
    kinds[i] = classifyStart(t, blank(i - 1), blank(i + 1));
    inDialogue = kinds[i] === 'character';
  }
  return kinds;
}

/** A line that starts a block (after a blank line or another block's end). */
function classifyStart(t: string, afterBlank: boolean, beforeBlank: boolean): LineKind {
  if (PAGE_BREAK.test(t)) return 'page_break';
  if (t.startsWith('!')) return 'action';
  if (t.startsWith('#')) return 'section';
  if (t.startsWith('=')) return 'synopsis';
  if (t.startsWith('~')) return 'lyrics';
  if (t.startsWith('>') && t.endsWith('<')) return 'centered';
  if (t.startsWith('@') && t.length > 1 && !beforeBlank) return 'character';
  if (FORCED_HEADING.test(t)) return 'scene_heading';
  if (t.startsWith('>')) return 'transition';
  if (afterBlank && beforeBlank && SCENE.test(t)) return 'scene_heading';
  if (afterBlank && beforeBlank && isTransition(t)) return 'transition';
  if (afterBlank && !beforeBlank && isCharacterCue(t)) return 'character';
  return 'action';
}

/** A cue's name without `@`, extension or `^`: `@McCLANE (V.O.) ^` → `McCLANE`. */
export function cueName(line: string): string {
  return line
    .trim()
    .replace(/^@/, '')
    .replace(/\s*\^$/, '')
    .replace(/\s*\(.*\)\s*$/, '')
    .trim();
}

/** A scene heading's text without the forcing dot or a scene number: `.ROOF #1A#` → `ROOF`. */
export function headingText(line: string): string {
  return line
    .trim()
    .replace(/^\.(?!\.)/, '')
    .replace(/\s*#[^#]*#\s*$/, '')
    .trim();
}

export interface Mark {
  from: number;
  to: number;
  kind: 'bold' | 'italic' | 'underline' | 'note' | 'boneyard';
}

/** Emphasis, inline notes and inline boneyard within one line (offsets into the line). */
export function inlineMarks(line: string): Mark[] {
  const marks: Mark[] = [];
  const span = (re: RegExp, kind: Mark['kind']) => {
    for (const m of line.matchAll(re)) {
      const start = (m.index ?? 0) + (m[1]?.length ?? 0);
      marks.push({ from: start, to: (m.index ?? 0) + m[0].length, kind });
    }
  };
  span(/(^|[^\\])\[\[.*?\]\]/g, 'note');
  span(/(^|[^\\])\/\*.*?\*\//g, 'boneyard');
  span(/(^|[^\\*])\*\*(?=\S)(?:[^*\\]|\\.)+?\*\*/g, 'bold');
  span(/(^|[^\\*])\*(?=[^\s*])(?:[^*\\]|\\.)+?\*(?!\*)/g, 'italic');
  span(/(^|[^\\])_(?=\S)(?:[^_\\]|\\.)+?_/g, 'underline');
  return marks.sort((a, b) => a.from - b.from || b.to - a.to);
}
