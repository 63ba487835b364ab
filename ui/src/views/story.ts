// 5. Story: the assembled FullStory under the active session, filters, the validation
// report (each issue links to the scene at fault), and versions (create, list, compare,
// restore).

import type { Character, FullStory, Session, StoryContext, StoryItem, ValidationIssue, ValidationReport, VersionDiff, VersionSummary } from '../api';
import type { AppContext, View } from '../context';
import { button, field, formatDateTime, h, replace, submitForm, viewRoot } from '../dom';

function show(value: unknown): string {
  if (value === undefined) return '\u2014';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 1);
}

export function contextChips(ctx: StoryContext | undefined, keys: string[] = ['mood', 'location', 'time']): HTMLElement | null {
  if (!ctx) return null;
  const present = keys.filter((k) => ctx.data[k] !== undefined);
  if (present.length === 0) return null;
  return h(
    'span',
    { class: 'chips' },
    present.map((k) => h('span', { class: ['chip', `chip-${k}`], testid: 'context-chip', data: { key: k }, attrs: { title: k } }, h('span', { class: 'chip-key' }, `${k}:`), h('span', { class: 'chip-value' }, ctx.data[k] ?? ''))),
  );
}

export function createStoryView(app: AppContext): View {
  let story: FullStory | null = null;
  let report: ValidationReport | null = null;
  let versions: VersionSummary[] = [];
  let diff: VersionDiff | null = null;
  let sessions: Session[] = [];
  let characters: Character[] = [];
  const filter = { character: '', key: '', value: '' };
  let diffFrom = '';
  let diffTo = '';

  const sessionSelect = h('select', {
    testid: 'story-session-select',
    class: 'input',
    attrs: { 'aria-label': 'Session' },
    onChange: () => {
      void (async () => {
        await app.setActiveSession(sessionSelect.value ? Number(sessionSelect.value) : null);
        await refresh();
        sessionSelect.focus();
      })();
    },
  });
  const characterSelect = h('select', { testid: 'story-filter-character', class: 'input', attrs: { 'aria-label': 'Only this character' }, onChange: () => void applyFilter() });
  const keyInput = h('input', { testid: 'story-filter-key', class: 'input', attrs: { type: 'text', placeholder: 'key, e.g. mood', 'aria-label': 'Context key' } });
  const valueInput = h('input', { testid: 'story-filter-value', class: 'input', attrs: { type: 'text', placeholder: 'value, e.g. fear', 'aria-label': 'Context value' } });
  const filterForm = submitForm(
    {
      class: 'filter-bar',
      attrs: { 'aria-label': 'Story filters' },
    },
    () => void applyFilter(),
    field('Session', sessionSelect),
    field('Character', characterSelect),
    field('Context', h('span', { class: 'kv' }, keyInput, h('span', { class: 'muted' }, '='), valueInput)),
    h('button', { testid: 'story-filter-apply', class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Filter'),
    button('Clear', 'story-filter-clear', () => {
      filter.character = '';
      filter.key = '';
      filter.value = '';
      keyInput.value = '';
      valueInput.value = '';
      void loadStory();
    }),
  );
  const storyHost = h('div', { class: 'story-host', testid: 'story-host' });
  const validationHost = h('div', { class: 'card', testid: 'validation' });
  const versionsHost = h('div', { class: 'card', testid: 'versions' });
  const el = viewRoot(
    'view-story',
    'Story',
    h('div', { class: 'story-main' }, filterForm, storyHost),
    h('aside', { class: 'story-side' }, validationHost, versionsHost),
  );

  const scriptId = (): number => app.script!.scriptId;

  async function refresh(): Promise<void> {
    if (!app.script) return;
    [sessions, characters] = await Promise.all([app.api.sessionList(scriptId()), app.api.characterList(scriptId())]);
    renderFilterOptions();
    await Promise.all([loadStory(), validate(), loadVersions()]);
  }

  function renderFilterOptions(): void {
    replace(
      sessionSelect,
      h('option', { props: { value: '', selected: app.sessionId === null } }, 'No session (no contexts)'),
      sessions.map((s) => h('option', { props: { value: String(s.sessionId), selected: s.sessionId === app.sessionId } }, s.context || `Session ${s.sessionId}`)),
    );
    if (filter.character && !characters.some((c) => String(c.characterId) === filter.character)) filter.character = '';
    replace(
      characterSelect,
      h('option', { props: { value: '', selected: filter.character === '' } }, 'Everyone'),
      characters.map((c) => h('option', { props: { value: String(c.characterId), selected: String(c.characterId) === filter.character } }, c.name)),
    );
  }

  async function applyFilter(): Promise<void> {
    filter.character = characterSelect.value;
    filter.key = keyInput.value.trim();
    filter.value = valueInput.value.trim();
    if ((filter.key === '') !== (filter.value === '')) {
      app.showError({ code: 'invalid_input', message: 'A context filter needs both a key and a value (e.g. mood = fear).' });
      return;
    }
    await loadStory();
  }

  async function loadStory(): Promise<void> {
    const result = await app.attempt(() =>
      app.api.storyFull({
        scriptId: scriptId(),
        sessionId: app.sessionId,
        filterByCharacter: filter.character ? Number(filter.character) : null,
        filterByContext: filter.key && filter.value ? [filter.key, filter.value] : null,
      }),
    );
    if (!result) return;
    story = result;
    renderStory();
  }

  function itemView(item: StoryItem): HTMLElement {
    const body: HTMLElement[] = [];
    if (item.elementType === 'dialogue') {
      body.push(h('div', { class: 'el-character', testid: 'story-item-character' }, item.character?.name ?? ''));
      if (item.spokenWord?.parenthetical) body.push(h('div', { class: 'el-parenthetical' }, `(${item.spokenWord.parenthetical})`));
      body.push(h('div', { class: 'el-text el-dialogue-text', testid: 'story-item-text' }, item.text));
    } else {
      body.push(h('div', { class: ['el-text', `el-${item.elementType}`], testid: 'story-item-text' }, item.elementType === 'page_break' ? '\u2014 page break \u2014' : item.text));
    }
    return h(
      'li',
      { class: ['story-item', `el-kind-${item.elementType}`], testid: 'story-item', data: { elementId: item.elementId, headingId: item.headingId, kind: item.elementType, sequence: item.sequence } },
      h('span', { class: 'story-seq', attrs: { 'aria-label': `Item ${item.sequence}` } }, String(item.sequence)),
      h('div', { class: 'story-body' }, body),
      h('div', { class: 'story-ctx' }, contextChips(item.context ?? undefined)),
    );
  }

  function renderStory(): void {
    if (!story) return;
    const filtered = filter.character !== '' || filter.key !== '';
    if (story.story.length === 0 && story.sections.length === 0) {
      replace(storyHost, h('div', { class: 'empty', testid: 'story-empty' }, filtered ? 'Nothing in the story matches these filters.' : 'The story is empty \u2014 write some scenes first.'));
      return;
    }
    const bySection = new Map<number, StoryItem[]>();
    for (const item of story.story) {
      const list = bySection.get(item.headingId) ?? [];
      list.push(item);
      bySection.set(item.headingId, list);
    }
    replace(
      storyHost,
      h(
        'article',
        { class: 'story-page', testid: 'story-page' },
        h('header', { class: 'story-title-block' }, h('h2', { class: 'story-title', testid: 'story-title' }, story.title), story.author ? h('p', { class: 'story-author' }, `by ${story.author}`) : null, story.description ? h('p', { class: 'muted' }, story.description) : null, h('p', { class: 'muted', testid: 'story-count' }, `${story.story.length} item${story.story.length === 1 ? '' : 's'}${filtered ? ' (filtered)' : ''}`)),
        story.sections.map((s, i) =>
          h(
            'section',
            { class: 'story-section', testid: 'story-section', data: { headingId: s.headingId } },
            h(
              'h3',
              { class: 'story-heading' },
              h('button', { class: 'link scene-heading-text', testid: 'story-section-link', attrs: { type: 'button', title: 'Open this scene' }, onClick: () => void app.navigate('script', { headingId: s.headingId }) }, `${s.sequence || i + 1}. ${s.title}`),
              contextChips(s.context ?? undefined),
            ),
            h('ol', { class: 'story-items' }, (bySection.get(s.headingId) ?? []).map(itemView)),
          ),
        ),
      ),
    );
  }

  // ---- validation --------------------------------------------------------------------------

  async function validate(): Promise<void> {
    const result = await app.attempt(() => app.api.storyValidate(scriptId()));
    if (!result) return;
    report = result;
    renderValidation();
  }

  function openIssue(issue: ValidationIssue): void {
    if (issue.headingId != null) void app.navigate('script', { headingId: issue.headingId });
    else if (issue.elementType === 'section') void app.navigate('script', { headingId: issue.elementId });
    else if (issue.elementType === 'character') void app.navigate('characters', { characterId: issue.elementId });
    else void app.navigate('script');
  }

  function renderValidation(): void {
    if (!report) return;
    const errors = report.issues.filter((i) => i.severity === 'error').length;
    const warnings = report.issues.length - errors;
    replace(
      validationHost,
      h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Validation'), button('Check again', 'validate-run', () => void validate(), { kind: 'small' })),
      h(
        'p',
        { class: ['validation-summary', report.valid ? 'ok' : 'bad'], testid: 'validation-summary' },
        report.issues.length === 0 ? '\u2713 No problems found.' : `${report.valid ? '\u2713 Valid' : '\u2717 Not valid'} \u2014 ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`,
      ),
      report.issues.length === 0
        ? null
        : h(
            'ul',
            { class: 'issue-list', testid: 'validation-issues' },
            report.issues.map((issue) =>
              h(
                'li',
                { class: ['validation-issue', issue.severity], testid: 'validation-issue', data: { kind: issue.kind, severity: issue.severity, ...(issue.headingId != null ? { headingId: issue.headingId } : {}) } },
                h('span', { class: 'severity' }, issue.severity === 'error' ? 'Error' : 'Warning'),
                h('button', { class: 'link', testid: 'validation-issue-link', attrs: { type: 'button', title: 'Go to the place at fault' }, onClick: () => openIssue(issue) }, issue.message),
              ),
            ),
          ),
    );
  }

  // ---- versions ----------------------------------------------------------------------------

  async function loadVersions(): Promise<void> {
    const result = await app.attempt(() => app.api.versionList('script', scriptId()));
    if (!result) return;
    const grew = result.length !== versions.length;
    versions = result;
    const has = (n: string) => versions.some((v) => String(v.versionNumber) === n);
    // By default compare the two newest versions.
    if (grew || !has(diffFrom) || !has(diffTo)) {
      const n = versions.length;
      diffFrom = n >= 2 ? String(versions[n - 2]!.versionNumber) : n === 1 ? String(versions[0]!.versionNumber) : '';
      diffTo = n >= 1 ? String(versions[n - 1]!.versionNumber) : '';
    }
    renderVersions();
  }

  async function createVersion(comment: string): Promise<void> {
    const v = await app.attempt(() => app.api.versionCreate('script', scriptId(), comment));
    if (!v) return;
    app.notify(`Saved version ${v.versionNumber}.`);
    await loadVersions();
    versionsHost.querySelector<HTMLElement>('[data-testid="version-comment-input"]')?.focus();
  }

  async function compare(): Promise<void> {
    if (!diffFrom || !diffTo) return;
    const d = await app.attempt(() => app.api.versionDiff('script', scriptId(), Number(diffFrom), Number(diffTo)));
    if (!d) return;
    diff = d;
    renderVersions();
    versionsHost.querySelector<HTMLElement>('[data-testid="version-compare"]')?.focus();
  }

  async function restore(v: VersionSummary): Promise<void> {
    const ok = await app.confirm({
      title: `Restore version ${v.versionNumber}?`,
      message: `The script goes back to version ${v.versionNumber}${v.comment ? ` (\u201C${v.comment}\u201D)` : ''}. The current state is saved as a version first, so you can come back to it. Undo history is cleared.`,
      confirmLabel: 'Restore',
      danger: true,
    });
    if (!ok) return;
    const restored = await app.attempt(() => app.api.versionRestore('script', scriptId(), v.versionNumber));
    if (!restored) return;
    app.undo.clear();
    app.selection.headingId = null;
    app.selection.characterId = null;
    diff = null;
    app.notify(`Restored version ${v.versionNumber}.`);
    await refresh();
  }

  function versionItem(v: VersionSummary): HTMLElement {
    return h(
      'li',
      { class: 'version-item', testid: 'version-item', data: { version: v.versionNumber } },
      h('span', { class: 'version-number' }, `v${v.versionNumber}`),
      h('span', { class: 'version-comment', testid: 'version-comment' }, v.comment || 'No comment'),
      h('time', { class: 'muted', attrs: { datetime: v.createdAt } }, formatDateTime(v.createdAt)),
      h('span', { class: 'version-author muted', testid: 'version-author', attrs: { title: 'Saved by' } }, v.createdBy ? `by ${v.createdBy}` : ''),
      button('Restore', 'version-restore', () => void restore(v), { kind: 'small', title: `Restore version ${v.versionNumber}` }),
    );
  }

  function compareBar(): HTMLElement {
    const options = (selectedValue: string) => versions.map((v) => h('option', { props: { value: String(v.versionNumber), selected: String(v.versionNumber) === selectedValue } }, `v${v.versionNumber}${v.comment ? ` \u2014 ${v.comment}` : ''}`));
    const fromSel = h('select', { testid: 'version-from-select', class: 'input', attrs: { 'aria-label': 'Compare from' }, onChange: () => (diffFrom = fromSel.value) }, options(diffFrom));
    const toSel = h('select', { testid: 'version-to-select', class: 'input', attrs: { 'aria-label': 'Compare to' }, onChange: () => (diffTo = toSel.value) }, options(diffTo));
    return h('div', { class: 'compare' }, h('span', { class: 'muted' }, 'Compare'), fromSel, h('span', { class: 'muted' }, 'with'), toSel, button('Compare', 'version-compare', () => void compare(), { kind: 'small' }));
  }

  function diffTable(shown: VersionDiff): HTMLElement {
    const change = (c: VersionDiff['changes'][number]) =>
      h(
        'tr',
        { class: 'version-change', testid: 'version-change' },
        h('td', { class: 'change-path', testid: 'change-path' }, c.path),
        h('td', { class: 'change-before', testid: 'change-before' }, h('pre', null, show(c.before))),
        h('td', { class: 'change-after', testid: 'change-after' }, h('pre', null, show(c.after))),
      );
    return h(
      'div',
      { class: 'diff', testid: 'version-diff' },
      h('h3', { class: 'sub-title' }, `Changes from v${shown.from} to v${shown.to}`),
      shown.changes.length === 0
        ? h('p', { class: 'muted', testid: 'version-diff-empty' }, 'No differences.')
        : h('table', { class: 'diff-table' }, h('thead', null, h('tr', null, h('th', null, 'Path'), h('th', null, 'Before'), h('th', null, 'After'))), h('tbody', null, shown.changes.map(change))),
    );
  }

  function renderVersions(): void {
    const comment = h('input', { testid: 'version-comment-input', class: 'input', attrs: { type: 'text', placeholder: 'What changed? e.g. First draft', 'aria-label': 'Version comment' } });
    const form = submitForm(
      {
        class: 'inline-form',
      },
      () => void createVersion(comment.value.trim()),
      comment,
      h('button', { testid: 'version-create', class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Save version'),
    );
    replace(
      versionsHost,
      h('h2', { class: 'card-title' }, 'Versions'),
      form,
      versions.length === 0
        ? h('p', { class: 'muted', testid: 'versions-empty' }, 'No versions yet. Save one before big changes.')
        : h('ul', { class: 'version-list', testid: 'version-list' }, versions.slice().reverse().map(versionItem)),
      versions.length >= 2 ? compareBar() : null,
      diff ? diffTable(diff) : null,
    );
  }

  return { el, refresh };
}
