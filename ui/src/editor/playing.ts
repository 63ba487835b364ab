// The Fountain editor follows the music: the line that plays is highlighted. The core says
// where each stored element starts in the text it loaded (`EditorText.lines`); those places
// move with the writer's edits, so the highlight stays on the right line while they type.

import { StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';
import type { TextLine } from '../api';

/** The element that plays now (null: none). */
export const setPlaying = StateEffect.define<number | null>();
/** Where the elements start, from a fresh load of the text. */
export const setElementLines = StateEffect.define<readonly TextLine[]>();

interface Playing {
  /** Document offset of each element's first line, mapped through every edit since. */
  starts: Map<number, number>;
  elementId: number | null;
}

const playingLine = Decoration.line({ class: 'cm-playing', attributes: { 'data-testid': 'editor-playing' } });

const playing = StateField.define<Playing>({
  create: () => ({ starts: new Map(), elementId: null }),
  update(value, tr) {
    let { starts, elementId } = value;
    if (tr.docChanged) starts = new Map([...starts].map(([id, pos]) => [id, tr.changes.mapPos(pos, -1)]));
    for (const e of tr.effects) {
      if (e.is(setElementLines)) starts = startsOf(tr.state.doc, e.value);
      if (e.is(setPlaying)) elementId = e.value;
    }
    return starts === value.starts && elementId === value.elementId ? value : { starts, elementId };
  },
  provide: (field) =>
    EditorView.decorations.from(field, (value): DecorationSet => {
      const pos = value.elementId === null ? undefined : value.starts.get(value.elementId);
      return pos === undefined ? Decoration.none : Decoration.set([playingLine.range(pos)]);
    }),
});

function startsOf(doc: EditorView['state']['doc'], lines: readonly TextLine[]): Map<number, number> {
  const starts = new Map<number, number>();
  for (const { elementId, line } of lines) {
    if (line >= 1 && line <= doc.lines) starts.set(elementId, doc.line(line).from);
  }
  return starts;
}

/** The extension, knowing where the elements start in `lines`' text. */
export function followMusic(lines: readonly TextLine[]): Extension {
  return playing.init((state) => ({ starts: startsOf(state.doc, lines), elementId: null }));
}

/** The 0-based line playing now, if the playing element is in the text. */
export function playingLineOf(view: EditorView): number | null {
  const value = view.state.field(playing, false);
  const pos = value && value.elementId !== null ? value.starts.get(value.elementId) : undefined;
  return pos === undefined ? null : view.state.doc.lineAt(pos).number - 1;
}

/** Shows `elementId` as playing (null clears it); scrolls to it when it moved out of sight. */
export function showPlaying(view: EditorView, elementId: number | null): void {
  const value = view.state.field(playing, false);
  if (!value || value.elementId === elementId) return;
  const pos = elementId === null ? undefined : value.starts.get(elementId);
  const visible = pos !== undefined && view.visibleRanges.some((r) => pos >= r.from && pos <= r.to);
  const effects = [setPlaying.of(elementId), ...(pos !== undefined && !visible && !view.hasFocus ? [EditorView.scrollIntoView(pos, { y: 'center' })] : [])];
  view.dispatch({ effects });
}
