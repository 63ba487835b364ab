// What the editor offers to complete: character names on a cue line, scene prefixes, known
// locations and times of day on a scene-heading line.

import { cueName, headingText, type LineKind } from './fountain';

export const SCENE_PREFIXES = ['INT. ', 'EXT. ', 'INT./EXT. ', 'EST. '];
export const TIMES_OF_DAY = ['DAY', 'NIGHT', 'MORNING', 'AFTERNOON', 'EVENING', 'DAWN', 'DUSK', 'CONTINUOUS', 'LATER', 'MOMENTS LATER', 'SAME'];

const PREFIX = /^(\.(?!\.)|(?:INT\.\/EXT\.?|INT\/EXT|I\/E|INT|EXT|EST)\.?\s+)/i;
const TIME_SEPARATOR = ' - ';

export interface Suggestion {
  /** Offset in the line where the replaced text starts. */
  from: number;
  options: string[];
}

/** Names used in cues, in order of first use, without extensions. */
export function cueNames(text: string, kinds: LineKind[]): string[] {
  const lines = text.split('\n');
  const names: string[] = [];
  kinds.forEach((k, i) => {
    if (k === 'character') names.push(cueName(lines[i] ?? '').toUpperCase());
  });
  return unique(names);
}

/** Locations of scene headings: `INT. KITCHEN - DAY` → `KITCHEN`. */
export function locations(text: string, kinds: LineKind[]): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  kinds.forEach((k, i) => {
    if (k !== 'scene_heading') return;
    const rest = headingText(lines[i] ?? '').replace(PREFIX, '');
    const cut = rest.lastIndexOf(TIME_SEPARATOR);
    const place = (cut >= 0 ? rest.slice(0, cut) : rest).trim().toUpperCase();
    if (place) out.push(place);
  });
  return unique(out);
}

function unique(list: string[]): string[] {
  return [...new Set(list.filter((s) => s !== ''))];
}

function startsWith(option: string, typed: string): boolean {
  return option.toUpperCase().startsWith(typed.toUpperCase()) && option.length > typed.length;
}

/**
 * Suggestions for the line `line` with the cursor at `col`. `afterBlank`: the line before is
 * blank (cues and headings start blocks). Null when nothing fits.
 */
export function suggest(line: string, col: number, afterBlank: boolean, names: string[], places: string[]): Suggestion | null {
  if (!afterBlank || col !== line.length) return null;
  const prefix = line.match(PREFIX);
  if (prefix) {
    const rest = line.slice(prefix[0].length);
    const cut = rest.lastIndexOf(TIME_SEPARATOR);
    if (cut >= 0) {
      const typed = rest.slice(cut + TIME_SEPARATOR.length);
      const options = TIMES_OF_DAY.filter((t) => startsWith(t, typed) || typed === '');
      return options.length ? { from: prefix[0].length + cut + TIME_SEPARATOR.length, options } : null;
    }
    const options = places.filter((p) => startsWith(p, rest) || rest === '');
    return options.length ? { from: prefix[0].length, options } : null;
  }
  const forced = line.startsWith('@');
  const typed = forced ? line.slice(1) : line;
  // Lower-case text is action; only a forced cue (`@`) may be typed in mixed case.
  if (typed.trim() === '' || (!forced && typed !== typed.toUpperCase())) return null;
  const from = line.length - typed.length;
  const options = [...names.filter((n) => startsWith(n, typed)), ...SCENE_PREFIXES.filter((p) => startsWith(p, typed))];
  return options.length ? { from, options } : null;
}
