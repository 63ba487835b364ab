// 4. Sessions & contexts: the sessions of the open script, the active one, and for it a
// table of scenes with their context (mood, location, time, free keys) and per-character
// contexts within a scene.

import type { Character, Context, ContextData, ContextTarget, MoodDecision, SectionHeading, Session } from '../api';
import type { AppContext, View } from '../context';
import { button, editField, field, formatDateTime, h, replace, selectInput, submitForm, viewRoot } from '../dom';
import { deleteContext, deleteSession, reviewMoods, setContext, updateSession } from '../undo';

const OTHER = '__other__';
const FIXED_KEYS = ['mood', 'location', 'time'];
/** The Story Factory's own keys for a suggested mood, shown as the suggestion, not as chips. */
const SUGGESTION_KEYS = ['suggestedMood', 'moodConfidence', 'moodEvidence', 'moodFrom'];

export function createSessionsView(app: AppContext): View {
  let sessions: Session[] = [];
  let sections: SectionHeading[] = [];
  let characters: Character[] = [];
  let contexts: Context[] = [];
  /** The moods of the core's mood table, the ones the score knows; read once. */
  let moods: string[] | null = null;
  /** Characters who appear in each scene. */
  let cast = new Map<number, Set<number>>();
  const expanded = new Set<number>();
  /** Characters added to a scene's table by hand (before they have a context). */
  const extraCast = new Map<number, Set<number>>();
  /** Rows whose mood select shows the free-text box. */
  const customMood = new Set<string>();
  let focusAfter: string | null = null;
  /** The session whose description is being edited. */
  let editingSession: number | null = null;

  const sessionList = h('ul', { class: 'session-list', testid: 'session-list', attrs: { 'aria-label': 'Sessions' } });
  const newContext = h('input', { testid: 'session-new-context', class: 'input', attrs: { type: 'text', placeholder: 'e.g. Dark reading: fear over longing', 'aria-label': 'What this session is about' } });
  const sessionForm = submitForm(
    {
      class: 'inline-form',
    },
    () => void createSession(),
    field('New session', newContext),
    h('button', { testid: 'session-create', class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Create session'),
  );
  const tableHost = h('div', { class: 'context-host', testid: 'context-host' });
  const el = viewRoot(
    'view-sessions',
    'Sessions and contexts',
    h(
      'div',
      { class: 'card' },
      h('h2', { class: 'card-title' }, 'Sessions'),
      h('p', { class: 'muted' }, 'A session is one interpretation of the script: its own moods and places for each scene.'),
      sessionList,
      sessionForm,
      h('div', { class: 'inline-form' }, button('Suggest moods', 'moods-suggest', () => void suggestMoods(), { title: 'Read each scene and suggest its mood into the session \u201CSuggested moods\u201D; moods you set stay' })),
    ),
    tableHost,
  );

  const scriptId = (): number => app.script!.scriptId;

  async function refresh(): Promise<void> {
    if (!app.script) return;
    const [s, secs, chars, story, table] = await Promise.all([
      app.api.sessionList(scriptId()),
      app.api.sectionList(scriptId()),
      app.api.characterList(scriptId()),
      app.api.storyFull({ scriptId: scriptId() }),
      moods ?? app.api.musicMoods().then((rows) => rows.map((r) => r.mood)),
    ]);
    moods = table;
    sessions = s;
    sections = secs;
    characters = chars;
    cast = new Map();
    for (const item of story.story) {
      if (!item.character) continue;
      const set = cast.get(item.headingId) ?? new Set<number>();
      set.add(item.character.characterId);
      cast.set(item.headingId, set);
    }
    if (app.sessionId !== null && !sessions.some((x) => x.sessionId === app.sessionId)) await app.setActiveSession(null);
    contexts = app.sessionId === null ? [] : (await app.api.contextGet(app.sessionId)).contexts;
    render();
  }

  async function createSession(): Promise<void> {
    const context = newContext.value.trim();
    const created = await app.attempt(() => app.api.sessionCreate({ scriptId: scriptId(), context }));
    if (!created) return;
    newContext.value = '';
    await app.setActiveSession(created.sessionId);
    app.notify('Session created and made active.');
    focusAfter = '[data-testid="session-new-context"]';
    await refresh();
  }

  async function activate(s: Session): Promise<void> {
    await app.setActiveSession(s.sessionId);
    focusAfter = '[data-testid="mood-select"]';
    await refresh();
  }

  const sessionSelector = (id: number) => `[data-testid="session-item"][data-session-id="${id}"]`;

  async function saveSession(s: Session, value: string): Promise<void> {
    editingSession = null;
    const context = value.trim();
    if (context !== s.context) await app.edit(updateSession(s.sessionId, { context: s.context }, { context }));
    focusAfter = `${sessionSelector(s.sessionId)} [data-testid="session-edit"]`;
    await refresh();
  }

  async function removeSession(s: Session): Promise<void> {
    const ok = await app.confirm({
      title: 'Delete session?',
      message: `\u201C${s.context || `Session ${s.sessionId}`}\u201D and every mood and place set in it will be deleted. You can undo this.`,
      confirmLabel: 'Delete session',
      danger: true,
    });
    if (!ok) return;
    if (!(await app.tryEdit(deleteSession(s)))) return;
    if (app.sessionId === s.sessionId) await app.setActiveSession(null);
    app.notify('Session deleted. Press Ctrl+Z to undo.');
    focusAfter = '[data-testid="session-new-context"]';
    await refresh();
  }

  function sessionItem(s: Session): HTMLElement {
    const active = s.sessionId === app.sessionId;
    if (editingSession === s.sessionId) {
      const input = editField({
        testid: 'session-edit-input',
        value: s.context,
        label: 'What this session is about',
        save: (context) => void saveSession(s, context),
        cancel: () => {
          editingSession = null;
          render();
        },
        stillEditing: () => editingSession === s.sessionId,
      });
      focusAfter = '[data-testid="session-edit-input"]';
      return h('li', { class: ['session-item', active && 'active'], testid: 'session-item', data: { sessionId: s.sessionId } }, input);
    }
    return h(
      'li',
      { class: ['session-item', active && 'active'], testid: 'session-item', data: { sessionId: s.sessionId } },
      h('span', { class: 'session-context', testid: 'session-context' }, s.context || `Session ${s.sessionId}`),
      h('span', { class: 'muted' }, `created ${formatDateTime(s.createdAt)}`),
      active ? h('span', { class: 'badge', testid: 'session-active' }, 'Active') : button('Make active', 'session-activate', () => void activate(s), { kind: 'small', title: 'Use this session' }),
      button('\u270E', 'session-edit', () => {
        editingSession = s.sessionId;
        render();
      }, { kind: 'small', title: 'Edit what this session is about' }),
      button('\u00D7', 'session-delete', () => void removeSession(s), { kind: 'small', title: 'Delete this session' }),
    );
  }

  function contextFor(target: ContextTarget): Context | undefined {
    return contexts.find((c) => c.headingId === (target.headingId ?? null) && c.characterId === (target.characterId ?? null) && c.elementId === null);
  }

  function rowSelector(target: ContextTarget): string {
    return target.characterId != null
      ? `[data-testid="character-context-row"][data-heading-id="${target.headingId}"][data-character-id="${target.characterId}"]`
      : `[data-testid="scene-context-row"][data-heading-id="${target.headingId}"]`;
  }

  async function apply(target: ContextTarget, data: ContextData, unset: string[], focus: string | null, label: string): Promise<void> {
    if (app.sessionId === null) return;
    if (Object.keys(data).length === 0 && unset.length === 0) return;
    await app.edit(setContext(app.sessionId, target, data, unset, label));
    focusAfter = focus;
    await refresh();
  }

  async function setKey(target: ContextTarget, key: string, value: string, focus: string): Promise<void> {
    const current = contextFor(target)?.data ?? {};
    const v = value.trim();
    if (v === '') {
      if (key in current) await apply(target, {}, [key], focus, `clear ${key}`);
      return;
    }
    if (current[key] === v) return;
    await apply(target, { [key]: v }, [], focus, `set ${key}`);
  }

  async function clear(target: ContextTarget): Promise<void> {
    if (app.sessionId === null || !contextFor(target)) return;
    await app.edit(deleteContext(app.sessionId, target));
    focusAfter = rowSelector(target) + ' [data-testid="mood-select"]';
    await refresh();
  }

  async function review(headingId: number | null, decision: MoodDecision, focus: string): Promise<void> {
    if (app.sessionId === null) return;
    const sessionId = app.sessionId;
    const what = decision === 'accept' ? 'accept' : 'clear';
    const label = headingId === null ? `${what} every suggested mood` : `${what} the suggested mood`;
    if ((await app.edit(reviewMoods({ sessionId, headingId, decision, mood: null }, label))) === undefined) return;
    focusAfter = focus;
    await refresh();
  }

  async function suggestMoods(): Promise<void> {
    const suggested = await app.attempt(() => app.api.moodsSuggest(scriptId(), null));
    if (!suggested) return;
    await app.setActiveSession(suggested.sessionId);
    const moody = suggested.scenes.filter((s) => s.mood).length;
    app.notify(`Moods suggested for ${moody} of ${suggested.scenes.length} scenes; the score uses them now. Moods you set stay.`);
    focusAfter = '[data-testid="moods-suggest"]';
    await refresh();
  }

  /** What the Story Factory suggested for a scene, why, and Accept / Clear. */
  function suggestionNote(target: ContextTarget, data: ContextData): HTMLElement | null {
    const suggested = data['suggestedMood'];
    if (!suggested) return null;
    const headingId = target.headingId ?? null;
    const row = rowSelector(target);
    const pending = data['moodFrom'] !== 'writer' && (data['mood'] ?? '') === (suggested === 'neutral' ? '' : suggested);
    return h(
      'div',
      { class: 'mood-suggestion', testid: 'mood-suggestion', data: { suggested } },
      h('span', { class: 'muted' }, `Suggested: ${suggested} (${data['moodConfidence'] ?? '?'})`),
      data['moodEvidence'] ? h('span', { class: 'mood-evidence', testid: 'mood-evidence' }, data['moodEvidence']) : null,
      pending ? button('Accept', 'mood-accept', () => void review(headingId, 'accept', `${row} [data-testid="mood-select"]`), { kind: 'small', title: `Keep ${suggested} as this scene\u2019s mood` }) : null,
      pending ? button('Clear', 'mood-clear', () => void review(headingId, 'clear', `${row} [data-testid="mood-select"]`), { kind: 'small', title: 'No mood for this scene' }) : null,
    );
  }

  /** The editing cells for one context target. */
  function editorCells(target: ContextTarget): HTMLElement[] {
    const data = contextFor(target)?.data ?? {};
    const row = rowSelector(target);
    const rowKey = `${target.headingId}|${target.characterId ?? ''}`;
    const mood = data['mood'] ?? '';
    const known = (moods ?? []).includes(mood);
    const showCustom = customMood.has(rowKey) || (mood !== '' && !known);
    const custom = h('input', {
      testid: 'mood-custom-input',
      class: 'input',
      props: { value: known ? '' : mood },
      attrs: { type: 'text', placeholder: 'your mood', 'aria-label': 'Custom mood', hidden: !showCustom },
      onChange: () => {
        customMood.delete(rowKey);
        void setKey(target, 'mood', custom.value, `${row} [data-testid="mood-custom-input"]`);
      },
      onKeydown: (ev) => {
        if (ev.key === 'Enter') {
          ev.preventDefault();
          customMood.delete(rowKey);
          void setKey(target, 'mood', custom.value, `${row} [data-testid="mood-custom-input"]`);
        }
      },
    });
    const select = selectInput(
      'mood-select',
      'Mood',
      (value) => {
        if (value === OTHER) {
          customMood.add(rowKey);
          custom.hidden = false;
          custom.focus();
          return;
        }
        customMood.delete(rowKey);
        void setKey(target, 'mood', value, `${row} [data-testid="mood-select"]`);
      },
      h('option', { props: { value: '', selected: mood === '' && !showCustom } }, '\u2014 no mood \u2014'),
      (moods ?? []).map((m) => h('option', { props: { value: m, selected: m === mood } }, m)),
      h('option', { props: { value: OTHER, selected: showCustom } }, 'Other\u2026'),
    );
    const textCell = (key: 'location' | 'time', placeholder: string) => {
      const input = h('input', {
        testid: `${key}-input`,
        class: 'input',
        props: { value: data[key] ?? '' },
        attrs: { type: 'text', placeholder, 'aria-label': key === 'location' ? 'Location' : 'Time' },
        onChange: () => void setKey(target, key, input.value, `${row} [data-testid="${key}-input"]`),
        onKeydown: (ev) => {
          if (ev.key === 'Enter') {
            ev.preventDefault();
            input.blur();
          }
        },
      });
      return h('td', { class: 'text-cell' }, input);
    };
    const freeKeys = Object.keys(data).filter((k) => !FIXED_KEYS.includes(k) && !SUGGESTION_KEYS.includes(k));
    const keyInput = h('input', { testid: 'context-key-input', class: 'input key', attrs: { type: 'text', placeholder: 'key', 'aria-label': 'New key' } });
    const valueInput = h('input', { testid: 'context-value-input', class: 'input key', attrs: { type: 'text', placeholder: 'value', 'aria-label': 'New value' } });
    const addKey = () => {
      const key = keyInput.value.trim();
      if (!key) {
        app.showError({ code: 'invalid_input', message: 'Type a key first (e.g. tempo, weather).' });
        keyInput.focus();
        return;
      }
      if (!valueInput.value.trim()) {
        app.showError({ code: 'invalid_input', message: `Give ${key} a value.` });
        valueInput.focus();
        return;
      }
      void apply(target, { [key]: valueInput.value.trim() }, [], `${row} [data-testid="context-key-input"]`, `set ${key}`);
    };
    return [
      h('td', { class: 'mood-cell' }, select, custom, target.characterId == null ? suggestionNote(target, data) : null),
      textCell('location', 'where'),
      textCell('time', 'when'),
      h(
        'td',
        { class: 'keys-cell' },
        freeKeys.length === 0
          ? null
          : h(
          'div',
          { class: 'chips' },
          freeKeys.map((k) =>
            h(
              'span',
              { class: 'chip', testid: 'context-key-chip', data: { key: k } },
              h('span', { class: 'chip-key' }, k),
              h('span', { class: 'chip-sep' }, '='),
              h('span', { class: 'chip-value' }, data[k] ?? ''),
              button('\u00D7', 'context-key-remove', () => void apply(target, {}, [k], `${row} [data-testid="context-key-input"]`, `remove ${k}`), { kind: 'small', title: `Remove ${k}` }),
            ),
          ),
        ),
        h(
          'div',
          {
            class: 'key-add',
            onKeydown: (ev) => {
              if (ev.key === 'Enter') {
                ev.preventDefault();
                addKey();
              }
            },
          },
          keyInput,
          valueInput,
          button('+', 'context-key-add', addKey, { kind: 'small', title: 'Add key' }),
        ),
      ),
    ];
  }

  function sceneRows(s: SectionHeading, index: number): HTMLElement[] {
    const target: ContextTarget = { headingId: s.headingId };
    const hasContext = !!contextFor(target);
    const inScene = new Set<number>([...(cast.get(s.headingId) ?? []), ...(extraCast.get(s.headingId) ?? [])]);
    for (const c of contexts) if (c.headingId === s.headingId && c.characterId !== null && c.elementId === null) inScene.add(c.characterId);
    const open = expanded.has(s.headingId);
    const rows: HTMLElement[] = [
      h(
        'tr',
        { class: 'scene-context-row', testid: 'scene-context-row', data: { headingId: s.headingId } },
        h(
          'th',
          { attrs: { scope: 'row' }, class: 'scene-cell' },
          h('div', null, h('span', { class: 'scene-number' }, `${index + 1}.`), h('span', { testid: 'scene-context-title' }, s.title)),
          h(
          'div',
          { class: 'row-actions' },
          h(
            'button',
            {
              testid: 'character-contexts-toggle',
              class: 'btn btn-small',
              attrs: { type: 'button', 'aria-expanded': open ? 'true' : 'false', title: 'Contexts of the characters in this scene' },
              onClick: () => {
                if (open) expanded.delete(s.headingId);
                else expanded.add(s.headingId);
                focusAfter = `${rowSelector(target)} [data-testid="character-contexts-toggle"]`;
                render();
              },
            },
            open ? 'Hide characters' : `Characters (${inScene.size})`,
          ),
          button('Clear', 'context-clear', () => void clear(target), { kind: 'small', title: 'Remove this scene\u2019s context', disabled: !hasContext }),
          ),
        ),
        editorCells(target),
      ),
    ];
    if (open) {
      for (const characterId of inScene) {
        const c = characters.find((x) => x.characterId === characterId);
        if (!c) continue;
        const ct: ContextTarget = { headingId: s.headingId, characterId };
        rows.push(
          h(
            'tr',
            { class: 'character-context-row', testid: 'character-context-row', data: { headingId: s.headingId, characterId } },
            h(
              'th',
              { attrs: { scope: 'row' }, class: 'character-cell' },
              h('div', { class: 'character-name' }, c.name),
              h('div', { class: 'row-actions' }, button('Clear', 'context-clear', () => void clear(ct), { kind: 'small', title: `Remove ${c.name}\u2019s context in this scene`, disabled: !contextFor(ct) })),
            ),
            editorCells(ct),
          ),
        );
      }
      const others = characters.filter((c) => !inScene.has(c.characterId));
      const add = selectInput(
        'character-context-add',
        'Add a character to this scene\u2019s contexts',
        (value) => {
          const id = Number(value);
          if (!id) return;
          const set = extraCast.get(s.headingId) ?? new Set<number>();
          set.add(id);
          extraCast.set(s.headingId, set);
          focusAfter = `${rowSelector({ headingId: s.headingId, characterId: id })} [data-testid="mood-select"]`;
          render();
        },
        h('option', { props: { value: '' } }, inScene.size === 0 ? 'Nobody appears here \u2014 add a character\u2026' : 'Add another character\u2026'),
        others.map((c) => h('option', { props: { value: String(c.characterId) } }, c.name)),
      );
      rows.push(h('tr', { class: 'character-context-add-row' }, h('td', { attrs: { colspan: 5 } }, others.length > 0 ? add : h('span', { class: 'muted' }, 'All characters are listed.'))));
    }
    return rows;
  }

  function render(): void {
    replace(
      sessionList,
      sessions.length === 0
        ? h('li', { class: 'empty', testid: 'sessions-empty' }, 'No sessions yet \u2014 create one to give scenes a mood and a place.')
        : sessions.map(sessionItem),
    );
    if (app.sessionId === null) {
      replace(tableHost, h('div', { class: 'empty', testid: 'contexts-no-session' }, 'Choose or create a session to edit scene contexts.'));
    } else if (sections.length === 0) {
      replace(tableHost, h('div', { class: 'empty' }, 'This script has no scenes yet \u2014 add scenes in the Script view.'));
    } else {
      const active = sessions.find((s) => s.sessionId === app.sessionId);
      replace(
        tableHost,
        h(
          'div',
          { class: 'card' },
          h('h2', { class: 'card-title' }, `Scene contexts \u2014 ${active?.context || `session ${app.sessionId}`}`),
          contexts.some((c) => c.data['suggestedMood'])
            ? h(
                'div',
                { class: 'row-actions' },
                button('Accept all suggestions', 'moods-accept-all', () => void review(null, 'accept', '[data-testid="moods-accept-all"]'), { kind: 'small' }),
                button('Clear all suggestions', 'moods-clear-all', () => void review(null, 'clear', '[data-testid="moods-clear-all"]'), { kind: 'small' }),
              )
            : null,
          h(
            'table',
            { class: 'context-table', testid: 'context-table' },
            h('thead', null, h('tr', null, ['Scene', 'Mood', 'Location', 'Time', 'Other keys'].map((t) => h('th', { attrs: { scope: 'col' } }, t)))),
            h('tbody', null, sections.map((s, i) => sceneRows(s, i))),
          ),
        ),
      );
    }
    if (focusAfter) {
      el.querySelector<HTMLElement>(focusAfter)?.focus();
      focusAfter = null;
    }
  }

  return { el, refresh };
}
