// The editor's scene navigator: which lines start scenes, and which scene a line is in.

import { headingText, type LineKind } from './fountain';

export interface SceneLine {
  /** 0-based line number of the heading. */
  line: number;
  title: string;
}

export function scenesOf(text: string, kinds: LineKind[]): SceneLine[] {
  const lines = text.split('\n');
  const out: SceneLine[] = [];
  kinds.forEach((k, line) => {
    if (k === 'scene_heading') out.push({ line, title: headingText(lines[line] ?? '').toUpperCase() });
  });
  return out;
}

/** The index of the scene holding `line` (0-based), or -1 before the first heading. */
export function sceneIndexAt(scenes: SceneLine[], line: number): number {
  // Binary search: the last heading at or before the line.
  let lo = 0;
  let hi = scenes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (scenes[mid]!.line <= line) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
