// Page markers in the Fountain editor: the core paginates the stored script as the PDF does
// (screenplay_pages) and the editor marks the line each page starts on and says which page the
// cursor is on. Markers move with the text typed since, until the next save repaginates.

import { StateEffect, StateField, RangeSetBuilder, type Extension } from '@codemirror/state';
import { Decoration, EditorView, WidgetType, type DecorationSet } from '@codemirror/view';
import type { PageStart } from '../api';

/** The page the cursor's (1-based) line is on, given where pages 2.. start. */
export function pageAt(breaks: readonly PageStart[], line: number): number {
  let page = 1;
  for (const b of breaks) {
    if (b.line <= line) page = b.page;
    else break;
  }
  return page;
}

/** "Page 3 of 118". */
export function pageLabel(page: number, count: number): string {
  return `Page ${Math.min(page, count)} of ${count}`;
}

/** "118 pages", "1 page". */
export function pagesLabel(count: number): string {
  return count === 1 ? '1 page' : `${count} pages`;
}

class PageMarker extends WidgetType {
  constructor(readonly page: number) {
    super();
  }
  override eq(other: PageMarker): boolean {
    return other.page === this.page;
  }
  toDOM(): HTMLElement {
    const el = document.createElement('div');
    el.className = 'cm-page-break';
    el.dataset['testid'] = 'editor-page-break';
    el.dataset['page'] = String(this.page);
    el.setAttribute('aria-label', `Page ${this.page}`);
    el.textContent = `${this.page}.`;
    return el;
  }
}

/** New page starts from the core. */
export const setPageBreaks = StateEffect.define<readonly PageStart[]>();

function markers(view: { doc: { lines: number; line(n: number): { from: number } } }, breaks: readonly PageStart[]): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  for (const b of breaks) {
    if (b.line < 1 || b.line > view.doc.lines) continue;
    const at = view.doc.line(b.line).from;
    builder.add(at, at, Decoration.widget({ widget: new PageMarker(b.page), block: true, side: -1 }));
  }
  return builder.finish();
}

/** The page markers, mapped through edits until new breaks arrive. */
export const pageBreaks = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) if (e.is(setPageBreaks)) return markers(tr.state, e.value);
    return tr.docChanged ? deco.map(tr.changes) : deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** Where pages 2.. start now, in the editor's current lines. */
export function currentBreaks(view: EditorView): PageStart[] {
  const out: PageStart[] = [];
  const iter = view.state.field(pageBreaks).iter();
  while (iter.value) {
    const widget = iter.value.spec.widget as PageMarker | undefined;
    if (widget) out.push({ page: widget.page, line: view.state.doc.lineAt(iter.from).number });
    iter.next();
  }
  return out;
}

export function pageMarkers(): Extension {
  return [pageBreaks];
}
