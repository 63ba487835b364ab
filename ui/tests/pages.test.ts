import { describe, expect, it } from 'vitest';
import { currentBreaks, pageAt, pageLabel, pagesLabel } from '../src/editor/pages';
import { q, seedScript, startWith, waitFor, openEditor } from './helpers';

describe('page count and page markers', () => {
  const breaks = [
    { page: 2, line: 51 },
    { page: 3, line: 101 },
  ];

  it('puts a line on the page whose start it has passed', () => {
    expect(pageAt(breaks, 1)).toBe(1);
    expect(pageAt(breaks, 50)).toBe(1);
    expect(pageAt(breaks, 51)).toBe(2);
    expect(pageAt(breaks, 200)).toBe(3);
    expect(pageLabel(2, 3)).toBe('Page 2 of 3');
    expect(pagesLabel(1)).toBe('1 page');
    expect(pagesLabel(118)).toBe('118 pages');
  });

  it('the editor marks each page start and says which page the cursor is on', async () => {
    const { root, backend } = await startWith((b) => {
      const { script } = seedScript(b);
      const lines = Array.from({ length: 120 }, (_, i) => `Action line ${i + 1}.`);
      b.texts.set(script.scriptId, `INT. HALL - NIGHT\n\n${lines.join('\n\n')}\n`);
    });
    const view = await openEditor(root);
    await waitFor(() => q(root, 'editor-page').textContent !== '');
    const pages = await backend.handle('screenplay_pages', { scriptId: backend.scripts[0]!.scriptId }) as { count: number };
    expect(q(root, 'editor-page').textContent).toBe(`Page 1 of ${pages.count}`);
    expect(currentBreaks(view).map((b) => b.page)).toEqual(Array.from({ length: pages.count - 1 }, (_, i) => i + 2));
    view.dispatch({ selection: { anchor: view.state.doc.line(view.state.doc.lines).from } });
    expect(q(root, 'editor-page').textContent).toBe(`Page ${pages.count} of ${pages.count}`);
    expect(q(root, 'script-page-count').textContent).toBe(`${pages.count} pages`);
  });
});
