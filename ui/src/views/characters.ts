// 3. Characters: list, create, edit, delete; each character's lines; and alts
// (paraphrases) of a line, an action or the description, with "Use this alt".

import type { Character, CharacterLines, CharacterUpdate, Element, Paraphrase, ParaphraseType } from '../api';
import type { AppContext, View } from '../context';
import { button, field, formatDateTime, h, replace } from '../dom';
import { formatLeitmotif, GM_PROGRAMS, parseLeitmotif, programLabel } from '../music';
import { createRecorder, type Recorder } from './recording';
import { addParaphrase, createCharacter, deleteCharacter, deleteParaphrase, promoteParaphrase, updateCharacter } from '../undo';

export function createCharactersView(app: AppContext): View {
  let characters: Character[] = [];
  let selected: number | null = app.selection.characterId;
  let lines: CharacterLines | null = null;
  let sceneTitles = new Map<number, string>();
  const openAlts = new Set<string>();
  let focusAfter: string | null = null;
  // What the writer typed and has not saved yet, by field: opening an alt list or adding an
  // alt draws the view again, and must not throw away the form's other fields.
  const unsaved = new Map<string, string>();

  function kept<T extends HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(key: string, input: T): T {
    const typed = unsaved.get(key);
    if (typed !== undefined) input.value = typed;
    const keep = (): void => void unsaved.set(key, input.value);
    input.addEventListener('input', keep);
    input.addEventListener('change', keep);
    return input;
  }

  function forget(prefix: string): void {
    for (const key of [...unsaved.keys()]) if (key.startsWith(prefix)) unsaved.delete(key);
  }

  const list = h('ul', { class: 'character-list', testid: 'character-list', attrs: { 'aria-label': 'Characters' } });
  const newName = h('input', { testid: 'character-new-name', class: 'input', attrs: { type: 'text', placeholder: 'NAME', 'aria-label': 'New character name' } });
  const newDesc = h('textarea', { testid: 'character-new-description', class: 'input', attrs: { rows: 2, placeholder: 'Who they are (optional)', 'aria-label': 'New character description' } });
  const createForm = h(
    'form',
    {
      class: 'card form compact',
      attrs: { 'aria-label': 'New character' },
      onSubmit: (ev) => {
        ev.preventDefault();
        void create();
      },
    },
    h('h3', { class: 'card-title' }, 'New character'),
    field('Name', newName),
    field('Description', newDesc),
    h('div', { class: 'form-actions' }, h('button', { testid: 'character-create', class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Create character')),
  );
  const detail = h('div', { class: 'character-detail', testid: 'character-detail' });
  const el = h(
    'section',
    { class: 'view view-characters', testid: 'view-characters', attrs: { 'aria-label': 'Characters' } },
    h('aside', { class: 'side-panel' }, h('h2', { class: 'panel-title' }, 'Characters'), list, createForm),
    detail,
  );

  const scriptId = (): number => app.script!.scriptId;

  async function refresh(): Promise<void> {
    if (!app.script) return;
    const [chars, sections] = await Promise.all([app.api.characterList(scriptId()), app.api.sectionList(scriptId())]);
    characters = chars;
    sceneTitles = new Map(sections.map((s) => [s.headingId, s.title]));
    if (selected !== null && !characters.some((c) => c.characterId === selected)) {
      const resolved = app.undo.ids.resolve('character', selected);
      selected = characters.some((c) => c.characterId === resolved) ? resolved : null;
    }
    if (selected === null) selected = characters[0]?.characterId ?? null;
    app.selection.characterId = selected;
    lines = selected === null ? null : await app.api.characterLines(selected);
    await render();
  }

  async function create(): Promise<void> {
    const name = newName.value.trim();
    if (!name) {
      app.showError({ code: 'invalid_input', message: 'A character needs a name.' });
      newName.focus();
      return;
    }
    const created = await app.edit(createCharacter(scriptId(), { name, description: newDesc.value.trim() }));
    if (!created) return;
    newName.value = '';
    newDesc.value = '';
    selected = created.characterId;
    focusAfter = '[data-testid="character-new-name"]';
    await refresh();
  }

  async function save(c: Character, name: string, description: string, music: { instrument: string; leitmotif: string }): Promise<void> {
    const before: CharacterUpdate = {};
    const after: CharacterUpdate = {};
    if (name.trim() !== c.name) {
      before.name = c.name;
      after.name = name.trim();
    }
    if (description.trim() !== c.description) {
      before.description = c.description;
      after.description = description.trim();
    }
    const instrument = music.instrument === '' ? null : Number(music.instrument);
    if (instrument !== (c.instrument ?? null)) {
      before.instrument = c.instrument ?? null;
      after.instrument = instrument;
    }
    if (music.leitmotif.trim() !== formatLeitmotif(c.leitmotif)) {
      try {
        after.leitmotif = parseLeitmotif(music.leitmotif);
      } catch (err) {
        app.showError({ code: 'invalid_input', message: err instanceof Error ? err.message : String(err) });
        return;
      }
      before.leitmotif = c.leitmotif ?? null;
    }
    if (Object.keys(after).length === 0) {
      app.notify('Nothing to save.');
      return;
    }
    const saved = await app.edit(updateCharacter(c.characterId, before, after));
    if (saved) {
      forget(`character:${c.characterId}:`);
      app.notify(`Saved ${saved.name}.`);
    }
    focusAfter = '[data-testid="character-save"]';
    await refresh();
  }

  async function remove(c: Character): Promise<void> {
    const ok = await app.confirm({ title: 'Delete character?', message: `Delete ${c.name}? You can undo this.`, confirmLabel: 'Delete character', danger: true });
    if (!ok) return;
    // Refused when the character still has lines: the banner says why.
    if (!(await app.tryEdit(deleteCharacter(scriptId(), c.characterId)))) return;
    forget(`character:${c.characterId}:`);
    selected = null;
    await refresh();
  }

  // ---- alts ------------------------------------------------------------------------------

  function altsKey(type: ParaphraseType, id: number): string {
    return `${type}:${id}`;
  }

  function altsPanel(type: ParaphraseType, originalId: number, what: string): HTMLElement {
    const panel = h('div', { class: 'alts-panel', testid: 'alts-panel', data: { originalType: type, originalId }, attrs: { 'aria-label': `Alts of ${what}` } });
    const listEl = h('ul', { class: 'alt-list', testid: 'alt-list' }, h('li', { class: 'muted' }, 'Loading alts\u2026'));
    const altKey = `alt:${altsKey(type, originalId)}:`;
    const text = kept(`${altKey}text`, h('textarea', { testid: 'alt-new-text', class: 'input', attrs: { rows: 2, placeholder: 'Another way to say it', 'aria-label': 'Alt text' } }));
    const commentary = kept(`${altKey}commentary`, h('input', { testid: 'alt-new-commentary', class: 'input', attrs: { type: 'text', placeholder: 'Why this alt? (optional)', 'aria-label': 'Commentary' } }));
    const form = h(
      'form',
      {
        class: 'alt-form',
        onSubmit: (ev) => {
          ev.preventDefault();
          void (async () => {
            if (!text.value.trim()) {
              app.showError({ code: 'invalid_input', message: 'An alt needs some text.' });
              text.focus();
              return;
            }
            const added = await app.edit(addParaphrase(type, originalId, text.value.trim(), commentary.value.trim()));
            if (!added) return;
            forget(altKey);
            focusAfter = `[data-testid="alts-panel"][data-original-type="${type}"][data-original-id="${originalId}"] [data-testid="alt-new-text"]`;
            await refresh();
          })();
        },
      },
      field('New alt', text),
      field('Commentary', commentary),
      h('div', { class: 'form-actions' }, h('button', { testid: 'alt-add', class: 'btn', attrs: { type: 'submit' } }, 'Add alt')),
    );
    replace(panel, listEl, form);
    void app
      .attempt(() => app.api.paraphraseList(type, originalId))
      .then((alts) => {
        if (!alts) return;
        replace(listEl, alts.length === 0 ? h('li', { class: 'muted', testid: 'alt-empty' }, 'No alts yet.') : alts.map((p) => altItem(p)));
      });
    return panel;
  }

  function altItem(p: Paraphrase): HTMLElement {
    return h(
      'li',
      { class: 'alt-item', testid: 'alt-item', data: { paraphraseId: p.paraphraseId } },
      h('div', { class: 'alt-text', testid: 'alt-text' }, p.text),
      p.commentary ? h('div', { class: 'alt-commentary', testid: 'alt-commentary' }, p.commentary) : null,
      h('div', { class: 'alt-meta muted' }, formatDateTime(p.createdAt)),
      h(
        'div',
        { class: 'row-actions' },
        button('Use this alt', 'alt-use', () => void use(p), { kind: 'small', title: 'Make this the text in use; the current text becomes an alt' }),
        button('Delete', 'alt-delete', () => void removeAlt(p), { kind: 'small' }),
      ),
    );
  }

  async function use(p: Paraphrase): Promise<void> {
    if (!(await app.tryEdit(promoteParaphrase(p.paraphraseId)))) return;
    app.notify('Alt now in use; the old text is kept as an alt.');
    await refresh();
  }

  async function removeAlt(p: Paraphrase): Promise<void> {
    if (await app.tryEdit(deleteParaphrase(p))) await refresh();
  }

  function altsToggle(type: ParaphraseType, id: number, testid: string, what: string): HTMLElement[] {
    const key = altsKey(type, id);
    const open = openAlts.has(key);
    const toggle = h(
      'button',
      {
        testid,
        class: 'btn btn-small',
        attrs: { type: 'button', 'aria-expanded': open ? 'true' : 'false' },
        onClick: () => {
          if (openAlts.has(key)) openAlts.delete(key);
          else openAlts.add(key);
          focusAfter = `[data-testid="${testid}"][data-original-id="${id}"]`;
          void render();
        },
        data: { originalId: id },
      },
      open ? 'Hide alts' : 'Alts\u2026',
    );
    return open ? [toggle, altsPanel(type, id, what)] : [toggle];
  }

  // ---- render ----------------------------------------------------------------------------

  function lineItem(e: Element): HTMLElement {
    const type: ParaphraseType | null = e.kind === 'dialogue' ? 'spokenWord' : e.kind === 'action' ? 'action' : null;
    return h(
      'li',
      { class: ['line', `line-${e.kind}`], testid: 'character-line', data: { elementId: e.elementId, kind: e.kind } },
      h(
        'div',
        { class: 'line-head' },
        h('span', { class: 'line-kind' }, e.kind === 'dialogue' ? 'Line' : e.kind === 'action' ? 'Action' : e.kind),
        h(
          'button',
          {
            class: 'link',
            testid: 'line-scene-link',
            attrs: { type: 'button', title: 'Open this scene' },
            onClick: () => void app.navigate('script', { headingId: e.headingId }),
          },
          sceneTitles.get(e.headingId) ?? `Scene ${e.headingId}`,
        ),
      ),
      e.parenthetical ? h('div', { class: 'line-parenthetical' }, `(${e.parenthetical})`) : null,
      h('div', { class: 'line-text', testid: 'line-text' }, e.text),
      type ? altsToggle(type, e.elementId, 'line-alts-toggle', e.kind === 'dialogue' ? 'this line' : 'this action') : null,
    );
  }

  function characterItem(c: Character): HTMLElement {
    return h(
      'li',
      null,
      h(
        'button',
        {
          testid: 'character-item',
          class: ['list-button', c.characterId === selected && 'selected'],
          data: { characterId: c.characterId },
          attrs: { type: 'button', 'aria-current': c.characterId === selected ? 'true' : undefined },
          onClick: () => {
            selected = c.characterId;
            focusAfter = `[data-testid="character-item"][data-character-id="${c.characterId}"]`;
            void refresh();
          },
        },
        h('span', { class: 'character-name', testid: 'character-item-name' }, c.name),
        c.description ? h('span', { class: 'character-desc muted' }, c.description) : null,
      ),
    );
  }

  function musicFields(c: Character): { instrument: HTMLSelectElement; leitmotif: HTMLInputElement } {
    const key = `character:${c.characterId}:`;
    const instrument = h(
      'select',
      { testid: 'character-instrument', class: 'input', attrs: { 'aria-label': 'Instrument' } },
      h('option', { props: { value: '', selected: c.instrument == null } }, 'Chosen from the name'),
      GM_PROGRAMS.map((_, program) => h('option', { props: { value: String(program), selected: c.instrument === program } }, programLabel(program))),
    );
    const leitmotif = h('input', {
      testid: 'character-leitmotif',
      class: 'input',
      props: { value: formatLeitmotif(c.leitmotif) },
      attrs: { type: 'text', placeholder: 'Derived from the name, e.g. 0:1, 2:1, 4:2', 'aria-label': 'Leitmotif', spellcheck: 'false' },
    });
    return { instrument: kept(`${key}instrument`, instrument), leitmotif: kept(`${key}leitmotif`, leitmotif) };
  }

  function characterForm(c: Character): HTMLElement {
    const key = `character:${c.characterId}:`;
    const name = kept(`${key}name`, h('input', { testid: 'character-name-input', class: 'input', props: { value: c.name }, attrs: { type: 'text', 'aria-label': 'Name' } }));
    const desc = kept(`${key}description`, h('textarea', { testid: 'character-description-input', class: 'input', props: { value: c.description }, attrs: { rows: 3, 'aria-label': 'Description' } }));
    const { instrument, leitmotif } = musicFields(c);
    return h(
      'form',
      {
        class: 'card form',
        testid: 'character-form',
        attrs: { 'aria-label': `Edit ${c.name}` },
        onSubmit: (ev) => {
          ev.preventDefault();
          void save(c, name.value, desc.value, { instrument: instrument.value, leitmotif: leitmotif.value });
        },
      },
      h('h2', { class: 'card-title character-title', testid: 'character-title' }, c.name),
      field('Name', name),
      field('Description', desc),
      h(
        'div',
        { class: 'music-fields' },
        field('Instrument', instrument, 'General MIDI; the character\u2019s leitmotif plays on it when they speak.'),
        field('Leitmotif', leitmotif, 'Scale degree:length in eighths, e.g. 0:1, 2:1, 4:2 (0 = tonic, 7 = octave). Empty: derived from the name.'),
      ),
      h(
        'div',
        { class: 'form-actions' },
        button('Delete character', 'character-delete', () => void remove(c), { kind: 'danger' }),
        h('div', { class: 'toolbar-spacer' }),
        h('button', { testid: 'character-save', class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Save'),
      ),
      h('div', { class: 'alts-block' }, h('h3', { class: 'sub-title' }, 'Description alts'), altsToggle('character', c.characterId, 'description-alts-toggle', 'the description')),
    );
  }

  function linesCard(c: Character): HTMLElement {
    const spoken = lines?.spokenWords ?? [];
    const actions = lines?.actions ?? [];
    return h(
      'div',
      { class: 'card' },
      h('h3', { class: 'card-title' }, `Lines (${spoken.length})`),
      spoken.length === 0 ? h('p', { class: 'muted', testid: 'lines-empty' }, `${c.name} has no lines yet.`) : h('ul', { class: 'line-list', testid: 'character-lines' }, spoken.map(lineItem)),
      h('h3', { class: 'card-title' }, `Actions (${actions.length})`),
      actions.length === 0 ? h('p', { class: 'muted' }, 'No actions attributed.') : h('ul', { class: 'line-list', testid: 'character-actions' }, actions.map(lineItem)),
    );
  }

  let recorder: Recorder | null = null;
  function recorderFor(c: Character): HTMLElement {
    if (recorder?.characterId !== c.characterId) {
      recorder?.dispose();
      recorder = createRecorder(app, c, refresh);
    } else recorder.setCharacter(c);
    return recorder.el;
  }

  async function render(): Promise<void> {
    replace(list, characters.length === 0 ? h('li', { class: 'empty', testid: 'characters-empty' }, 'No characters yet \u2014 create the first one below.') : characters.map(characterItem));
    const c = characters.find((x) => x.characterId === selected);
    if (!c) {
      replace(detail, h('div', { class: 'empty' }, characters.length === 0 ? 'Characters you create appear here with their lines and alts.' : 'Choose a character.'));
    } else {
      replace(detail, characterForm(c), recorderFor(c), linesCard(c));
    }
    if (focusAfter) {
      el.querySelector<HTMLElement>(focusAfter)?.focus();
      focusAfter = null;
    }
  }

  return { el, refresh, dispose: () => recorder?.dispose() };
}
