// 1. Library: the scripts, search, create, delete, open, and the Romeo and Juliet example.

import { pagesLabel } from '../editor/pages';
import type { Script } from '../api';
import { requiredText, type AppContext, type View } from '../context';
import { button, field, formatDateTime, h, replace, submitForm, viewRoot } from '../dom';
import { importButton } from './transfer';

export const LIBRARY_EMPTY = 'No scripts yet \u2014 create one or load the Romeo and Juliet example.';

export function createLibraryView(app: AppContext): View {
  let query = '';
  let searchTimer: ReturnType<typeof setTimeout> | null = null;

  const search = h('input', {
    testid: 'library-search',
    class: 'input search',
    attrs: { type: 'search', placeholder: 'Search by title or author', 'aria-label': 'Search scripts by title or author' },
    onInput: () => {
      query = search.value;
      if (searchTimer) clearTimeout(searchTimer);
      searchTimer = setTimeout(() => void refresh(), 200);
    },
    onKeydown: (ev) => {
      if (ev.key === 'Enter') {
        if (searchTimer) clearTimeout(searchTimer);
        void refresh();
      }
    },
  });

  const titleInput = h('input', { testid: 'script-title-input', class: 'input', attrs: { type: 'text', required: true, placeholder: 'Untitled screenplay' } });
  const authorInput = h('input', { testid: 'script-author-input', class: 'input', attrs: { type: 'text', placeholder: 'Your name' } });
  const descInput = h('textarea', { testid: 'script-description-input', class: 'input', attrs: { rows: 2, placeholder: 'Logline or notes' } });
  const form = submitForm(
    {
      testid: 'library-new-form',
      class: 'card form',
      attrs: { hidden: true, 'aria-label': 'New script' },
      onKeydown: (ev) => {
        if (ev.key === 'Escape') {
          ev.preventDefault();
          toggleForm(false);
        }
      },
    },
    () => void create(),
    h('h2', { class: 'card-title' }, 'New script'),
    field('Title', titleInput),
    field('Author', authorInput),
    field('Description', descInput),
    h(
      'div',
      { class: 'form-actions' },
      button('Cancel', 'script-create-cancel', () => toggleForm(false)),
      h('button', { testid: 'script-create-submit', class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Create script'),
    ),
  );

  const list = h('div', { class: 'library-list', testid: 'script-list', attrs: { role: 'list', 'aria-label': 'Scripts' } });
  const count = h('p', { class: 'muted', testid: 'library-count', attrs: { 'aria-live': 'polite' } });

  const el = viewRoot(
    'view-library',
    'Library',
    h(
      'div',
      { class: 'view-header' },
      search,
      h('div', { class: 'toolbar-spacer' }),
      importButton(app),
      button('Load example: Romeo and Juliet', 'library-load-example', () => void loadExample(), { kind: 'ghost' }),
      button('+ New script', 'library-new', () => toggleForm(true), { kind: 'primary' }),
    ),
    form,
    count,
    list,
  );

  function toggleForm(open: boolean): void {
    form.hidden = !open;
    if (open) titleInput.focus();
    else {
      form.reset();
      el.querySelector<HTMLButtonElement>('[data-testid="library-new"]')?.focus();
    }
  }

  async function create(): Promise<void> {
    const title = requiredText(app, titleInput, 'A script needs a title.');
    if (title === null) return;
    const script = await app.attempt(() => app.api.scriptCreate({ title, author: authorInput.value.trim(), description: descInput.value.trim() }));
    if (!script) return;
    form.reset();
    form.hidden = true;
    app.notify(`Created \u201C${script.title}\u201D.`);
    await app.openScript(script.scriptId, 'script');
  }

  async function loadExample(): Promise<void> {
    const loaded = await app.attempt(() => app.api.exampleLoad('romeo-and-juliet'));
    if (!loaded) return;
    app.notify('Loaded the Romeo and Juliet example.');
    await refresh();
    list.querySelector<HTMLElement>(`[data-script-id="${loaded.scriptId}"]`)?.focus();
  }

  async function remove(script: Script): Promise<void> {
    const ok = await app.confirm({
      title: 'Delete script?',
      message: `\u201C${script.title}\u201D will be deleted with its scenes, characters and sessions. This cannot be undone.`,
      confirmLabel: 'Delete script',
      danger: true,
    });
    if (!ok) return;
    const done = await app.attempt(() => app.api.scriptDelete(script.scriptId));
    if (done === undefined) return;
    if (app.script?.scriptId === script.scriptId) await app.closeScript();
    app.notify(`Deleted \u201C${script.title}\u201D.`);
    await refresh();
  }

  async function fetchScripts(): Promise<Script[]> {
    const q = query.trim();
    if (!q) return (await app.api.scriptList({ limit: 1000 })).scripts;
    const [byTitle, byAuthor] = await Promise.all([app.api.scriptList({ title: q, limit: 1000 }), app.api.scriptList({ author: q, limit: 1000 })]);
    const seen = new Map<number, Script>();
    for (const s of [...byTitle.scripts, ...byAuthor.scripts]) seen.set(s.scriptId, s);
    return [...seen.values()].sort((a, b) => (a.sequenceNumber ?? 0) - (b.sequenceNumber ?? 0) || a.scriptId - b.scriptId);
  }

  /** The script's page count as the PDF prints it, filled in when the core has paginated it. */
  function pageCount(scriptId: number): HTMLElement {
    const span = h('span', { class: 'script-pages muted', testid: 'script-item-pages' });
    app.api.screenplayPages(scriptId).then(
      (p) => {
        span.textContent = pagesLabel(p.count);
        span.dataset['count'] = String(p.count);
      },
      () => span.remove(),
    );
    return span;
  }

  function row(script: Script): HTMLElement {
    const open = () => void app.openScript(script.scriptId, 'script');
    const isOpen = app.script?.scriptId === script.scriptId;
    return h(
      'div',
      {
        testid: 'script-item',
        class: ['script-row', isOpen && 'is-open'],
        data: { scriptId: script.scriptId },
        attrs: { role: 'listitem', tabindex: 0, 'aria-label': `${script.title}${script.author ? ` by ${script.author}` : ''}` },
        onClick: (ev) => {
          if ((ev.target as HTMLElement).closest('button')) return;
          open();
        },
        onKeydown: (ev) => {
          if (ev.target !== ev.currentTarget) return;
          if (ev.key === 'Enter') {
            ev.preventDefault();
            open();
          } else if (ev.key === 'Delete') {
            ev.preventDefault();
            void remove(script);
          } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
            ev.preventDefault();
            const sibling = (ev.key === 'ArrowDown' ? (ev.currentTarget as HTMLElement).nextElementSibling : (ev.currentTarget as HTMLElement).previousElementSibling) as HTMLElement | null;
            sibling?.focus();
          }
        },
      },
      h(
        'div',
        { class: 'script-main' },
        h('div', { class: 'script-title', testid: 'script-item-title' }, script.title),
        h('div', { class: 'script-meta' }, h('span', { testid: 'script-item-author' }, script.author || 'Unknown author'), pageCount(script.scriptId), script.description ? h('span', { class: 'script-desc', testid: 'script-item-description' }, titlePageLines(script.description)) : null),
      ),
      h('div', { class: 'script-updated' }, h('span', { class: 'muted' }, 'Updated '), h('time', { testid: 'script-item-updated', attrs: { datetime: script.updatedAt } }, formatDateTime(script.updatedAt))),
      h('div', { class: 'row-actions' }, button('Open', 'script-open', open, { kind: 'small' }), button('Delete', 'script-delete', () => void remove(script), { kind: 'small', title: `Delete ${script.title}` })),
    );
  }

  async function refresh(): Promise<void> {
    const scripts = await fetchScripts();
    if (scripts.length === 0) {
      count.textContent = '';
      replace(
        list,
        query.trim()
          ? h('div', { class: 'empty', testid: 'library-no-match' }, `No script matches \u201C${query.trim()}\u201D.`)
          : h('div', { class: 'empty', testid: 'library-empty' }, h('p', null, LIBRARY_EMPTY)),
      );
      return;
    }
    count.textContent = scripts.length === 1 ? '1 script' : `${scripts.length} scripts`;
    replace(list, scripts.map(row));
  }

  return { el, refresh, command: (name) => name === 'new-script' && toggleForm(true) };
}

/** The description's lines (an imported title page's credit, source, notes…), one per line,
 * "credit: written by" shown as "Written by". */
function titlePageLines(description: string): HTMLElement[] {
  return description
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const field = /^([A-Za-z][\w ]*):\s*(.*)$/.exec(line);
      const text = field ? field[2]! : line;
      const label = field ? field[1]! : '';
      return h('span', { class: 'script-desc-line', testid: 'script-desc-line', data: { field: label.toLowerCase() } }, text.charAt(0).toUpperCase() + text.slice(1));
    });
}
