// CodeMirror 6 set-up for Fountain: line classes from the classifier, inline marks for
// emphasis, notes and boneyard, and completion of cues, scene prefixes, locations and times.

import { autocompletion, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { EditorState, RangeSetBuilder, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, keymap, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { classifyLines, inlineMarks, type LineKind } from './fountain';
import { cueNames, locations, suggest } from './complete';
import { pageMarkers } from './pages';

/** The kind of every line, kept up to date with the document. */
export const lineKinds = StateField.define<LineKind[]>({
  create: (state) => classifyLines(state.doc.toString()),
  update: (kinds, tr) => (tr.docChanged ? classifyLines(tr.state.doc.toString()) : kinds),
});

const lineDecos = new Map<LineKind, Decoration>();
function lineDeco(kind: LineKind): Decoration {
  let d = lineDecos.get(kind);
  if (!d) {
    d = Decoration.line({ class: `cm-fountain-${kind.replace('_', '-')}`, attributes: { 'data-kind': kind } });
    lineDecos.set(kind, d);
  }
  return d;
}
const markDecos = {
  bold: Decoration.mark({ class: 'cm-fountain-bold' }),
  italic: Decoration.mark({ class: 'cm-fountain-italic' }),
  underline: Decoration.mark({ class: 'cm-fountain-underline' }),
  note: Decoration.mark({ class: 'cm-fountain-inline-note' }),
  boneyard: Decoration.mark({ class: 'cm-fountain-inline-boneyard' }),
};

function decorate(view: EditorView): DecorationSet {
  const kinds = view.state.field(lineKinds);
  const builder = new RangeSetBuilder<Decoration>();
  for (const { from, to } of view.visibleRanges) {
    let pos = from;
    while (pos <= to) {
      const line = view.state.doc.lineAt(pos);
      const kind = kinds[line.number - 1] ?? 'action';
      if (kind !== 'blank') builder.add(line.from, line.from, lineDeco(kind));
      if (kind !== 'boneyard' && kind !== 'note' && kind !== 'blank') {
        // RangeSetBuilder needs ranges in order; inlineMarks sorts them, overlaps are dropped.
        let last = line.from;
        for (const m of inlineMarks(line.text)) {
          if (line.from + m.from < last) continue;
          builder.add(line.from + m.from, line.from + m.to, markDecos[m.kind]);
          last = line.from + m.to;
        }
      }
      pos = line.to + 1;
    }
  }
  return builder.finish();
}

const highlighter = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = decorate(view);
    }
    update(u: ViewUpdate) {
      if (u.docChanged || u.viewportChanged) this.decorations = decorate(u.view);
    }
  },
  { decorations: (v) => v.decorations },
);

/** Completion over the document's cues and headings plus names the script already knows. */
function completionSource(knownNames: () => string[]) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const line = ctx.state.doc.lineAt(ctx.pos);
    const kinds = ctx.state.field(lineKinds);
    const text = ctx.state.doc.toString();
    const before = line.number > 1 ? ctx.state.doc.line(line.number - 1).text.trim() === '' : true;
    const names = [...new Set([...knownNames().map((n) => n.toUpperCase()), ...cueNames(text, kinds)])];
    const s = suggest(line.text.slice(0, ctx.pos - line.from), ctx.pos - line.from, before, names, locations(text, kinds));
    if (!s) return null;
    return {
      from: line.from + s.from,
      // No validFor: a heading's suggestions change as it is typed (prefix, place, time).
      options: s.options.map((label) => ({ label, type: names.includes(label) ? 'variable' : 'keyword' })),
    };
  };
}

export interface EditorOptions {
  doc: string;
  parent: HTMLElement;
  knownNames: () => string[];
  onChange: (text: string) => void;
  onCursorLine: (line: number) => void;
  /** More behaviour (following the music, say). */
  extensions?: Extension[];
  /** A writers' room's reader: the text can be read and searched, not changed. */
  readOnly?: boolean;
}

export function createFountainEditor(o: EditorOptions): EditorView {
  const extensions: Extension[] = [
    lineKinds,
    highlighter,
    pageMarkers(),
    history(),
    EditorView.lineWrapping,
    autocompletion({ override: [completionSource(o.knownNames)], icons: false }),
    keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap]),
    EditorView.contentAttributes.of({ 'aria-label': 'Fountain text', 'data-testid': 'editor-text', spellcheck: 'true' }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) o.onChange(u.state.doc.toString());
      if (u.docChanged || u.selectionSet) o.onCursorLine(u.state.doc.lineAt(u.state.selection.main.head).number - 1);
    }),
    ...(o.extensions ?? []),
    ...(o.readOnly ? [EditorState.readOnly.of(true), EditorView.editable.of(false)] : []),
  ];
  return new EditorView({ state: EditorState.create({ doc: o.doc, extensions }), parent: o.parent });
}

/** Puts the cursor at the start of a 0-based line and scrolls it to the top. */
export function goToLine(view: EditorView, line: number): void {
  const n = Math.min(Math.max(line + 1, 1), view.state.doc.lines);
  const pos = view.state.doc.line(n).from;
  view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'start', yMargin: 8 }) });
  view.focus();
}
