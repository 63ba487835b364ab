import { describe, expect, it } from 'vitest';
import { change, key, q, qa, seedScript, settle, startWith, type } from './helpers';
import { MOOD_TABLE, type FakeBackend } from './fakeBackend';

let seeded: ReturnType<typeof seedScript>;
const seedIn = (view: string) => (b: FakeBackend) => {
  seeded = seedScript(b, view);
};

describe('characters view', () => {
  it('lists, creates and edits characters', async () => {
    const { root, backend } = await startWith(seedIn('characters'));
    expect(qa(root, 'character-item-name').map((n) => n.textContent)).toEqual(['JULIET', 'ROMEO']);
    type(q(root, 'character-new-name'), 'NURSE');
    type(q(root, 'character-new-description'), 'Juliet\u2019s nurse');
    q(root, 'character-create').click();
    await settle();
    expect(backend.characters.at(-1)).toMatchObject({ name: 'NURSE', description: 'Juliet\u2019s nurse' });
    expect(q(root, 'character-title').textContent).toBe('NURSE');
    type(q(root, 'character-description-input'), 'Talkative');
    q(root, 'character-save').click();
    await settle();
    expect(backend.characters.at(-1)!.description).toBe('Talkative');
  });

  it('shows the conflict message when a character with lines cannot be deleted', async () => {
    const { root, backend } = await startWith(seedIn('characters'));
    q(root, 'character-delete').click();
    await settle();
    q(document, 'confirm-ok').click();
    await settle();
    expect(backend.characters).toHaveLength(2);
    const banner = q(root, 'error-banner');
    expect(banner.hidden).toBe(false);
    expect(banner.textContent).toContain('JULIET still has 1 line(s)');
  });

  it('deletes a character without lines, and undo restores it', async () => {
    const { root, backend, app } = await startWith(seedIn('characters'));
    qa(root, 'character-item')[1]!.click();
    await settle();
    q(root, 'character-delete').click();
    await settle();
    q(document, 'confirm-ok').click();
    await settle();
    expect(backend.characters.map((c) => c.name)).toEqual(['JULIET']);
    await app.doUndo();
    expect(qa(root, 'character-item-name').map((n) => n.textContent)).toEqual(['JULIET', 'ROMEO']);
  });

  it('shows a character\u2019s lines and manages alts with "Use this alt"', async () => {
    const { root, backend, app } = await startWith(seedIn('characters'));
    const line = q(root, 'character-line');
    expect(q(line, 'line-text').textContent).toBe('O Romeo, Romeo!');
    q(line, 'line-alts-toggle').click();
    await settle();
    expect(q(root, 'alt-empty')).toBeTruthy();
    type(q(root, 'alt-new-text'), 'Romeo, where are you?');
    type(q(root, 'alt-new-commentary'), 'modern');
    q(root, 'alt-add').click();
    await settle();
    expect(backend.callsOf('paraphrase_add')).toEqual([{ originalType: 'spokenWord', originalId: seeded.d1.elementId, text: 'Romeo, where are you?', commentary: 'modern' }]);
    expect(q(root, 'alt-text').textContent).toBe('Romeo, where are you?');
    q(root, 'alt-use').click();
    await settle();
    expect(backend.element(seeded.d1.elementId).text).toBe('Romeo, where are you?');
    expect(q(root, 'line-text').textContent).toBe('Romeo, where are you?');
    expect(q(root, 'alt-text').textContent).toBe('O Romeo, Romeo!');
    await app.doUndo();
    await settle();
    expect(backend.element(seeded.d1.elementId).text).toBe('O Romeo, Romeo!');
    expect(q(root, 'alt-text').textContent).toBe('Romeo, where are you?');
    q(root, 'alt-delete').click();
    await settle();
    expect(backend.paraphrases).toHaveLength(0);
  });

  it('opening an alt list or adding an alt keeps what the writer typed in the form', async () => {
    const { root, backend } = await startWith(seedIn('characters'));
    type(q(root, 'character-description-input'), 'Daughter of Capulet, thirteen');
    type(q(root, 'character-leitmotif'), '0:1, 4:1, 7:2');
    change(q(root, 'character-instrument'), '40');
    q(root, 'description-alts-toggle').click();
    await settle();
    type(q(q(root, 'alts-panel'), 'alt-new-text'), 'The Capulet girl');
    q(q(root, 'character-line'), 'line-alts-toggle').click();
    await settle();
    const linePanel = () => qa(root, 'alts-panel').find((p) => p.dataset.originalType === 'spokenWord')!;
    type(q(linePanel(), 'alt-new-text'), 'Romeo, where are you?');
    q(linePanel(), 'alt-add').click();
    await settle();
    expect(backend.paraphrases.map((p) => p.text)).toContain('Romeo, where are you?');
    expect(q<HTMLTextAreaElement>(root, 'character-description-input').value).toBe('Daughter of Capulet, thirteen');
    expect(q<HTMLInputElement>(root, 'character-leitmotif').value).toBe('0:1, 4:1, 7:2');
    expect(q<HTMLSelectElement>(root, 'character-instrument').value).toBe('40');
    const descPanel = qa(root, 'alts-panel').find((p) => p.dataset.originalType === 'character')!;
    expect(q<HTMLTextAreaElement>(descPanel, 'alt-new-text').value).toBe('The Capulet girl');
    expect(q<HTMLTextAreaElement>(linePanel(), 'alt-new-text').value).toBe('');
    q(root, 'character-save').click();
    await settle();
    expect(backend.characters[0]).toMatchObject({ description: 'Daughter of Capulet, thirteen', instrument: 40 });
  });

  it('alts of the description', async () => {
    const { root, backend } = await startWith(seedIn('characters'));
    q(root, 'description-alts-toggle').click();
    await settle();
    type(q(root, 'alt-new-text'), 'The daughter of Capulet');
    q(root, 'alt-add').click();
    await settle();
    q(root, 'alt-use').click();
    await settle();
    expect(backend.character(seeded.juliet.characterId).description).toBe('The daughter of Capulet');
    expect(q<HTMLTextAreaElement>(root, 'character-description-input').value).toBe('The daughter of Capulet');
  });
});

describe('sessions view', () => {
  it('creates a session, makes it active and remembers it', async () => {
    const { root, backend, app } = await startWith(seedIn('sessions'));
    expect(q(root, 'sessions-empty')).toBeTruthy();
    type(q(root, 'session-new-context'), 'Dark reading');
    q(root, 'session-create').click();
    await settle();
    const s = backend.sessions[0]!;
    expect(s).toMatchObject({ scriptId: seeded.script.scriptId, context: 'Dark reading' });
    expect(app.sessionId).toBe(s.sessionId);
    expect(backend.settings.get(`activeSession:${seeded.script.scriptId}`)).toBe(s.sessionId);
    expect(qa(root, 'scene-context-row')).toHaveLength(2);
  });

  it('switches the active session', async () => {
    const { root, backend, app } = await startWith((b) => {
      seedIn('sessions')(b);
      b.addSession(seeded.script.scriptId, 'one');
      b.addSession(seeded.script.scriptId, 'two');
    });
    expect(app.sessionId).toBe(backend.sessions[1]!.sessionId); // newest first by default
    const older = qa(root, 'session-item').find((i) => i.textContent?.includes('one'))!;
    q(older, 'session-activate').click();
    await settle();
    expect(app.sessionId).toBe(backend.sessions[0]!.sessionId);
    expect(backend.settings.get(`activeSession:${seeded.script.scriptId}`)).toBe(backend.sessions[0]!.sessionId);
  });

  it('edits mood (list and free text), location, time and free keys; undo puts them back', async () => {
    const { root, backend, app } = await startWith((b) => {
      seedIn('sessions')(b);
      b.addSession(seeded.script.scriptId, 'reading');
    });
    const sessionId = backend.sessions[0]!.sessionId;
    const row = () => q(root, 'scene-context-row', `[data-heading-id="${seeded.s1.headingId}"]`);
    const options = [...q<HTMLSelectElement>(row(), 'mood-select').options].map((o) => o.value);
    for (const { mood } of MOOD_TABLE) expect(options).toContain(mood);
    change(q(row(), 'mood-select'), 'fear');
    await settle();
    expect(backend.callsOf('context_set').at(-1)).toEqual({ sessionId, target: { headingId: seeded.s1.headingId, characterId: null, elementId: null }, data: { mood: 'fear' }, unset: [] });
    change(q(row(), 'location-input'), 'Orchard');
    await settle();
    change(q(row(), 'time-input'), 'midnight');
    await settle();
    type(q(row(), 'context-key-input'), 'weather');
    type(q(row(), 'context-value-input'), 'clear');
    q(row(), 'context-key-add').click();
    await settle();
    expect(backend.contextOf(sessionId, { headingId: seeded.s1.headingId })?.data).toEqual({ location: 'Orchard', mood: 'fear', time: 'midnight', weather: 'clear' });
    expect(q(row(), 'context-key-chip').textContent).toContain('weather');
    change(q(row(), 'mood-select'), '__other__');
    change(q(row(), 'mood-custom-input'), 'dread');
    await settle();
    expect(backend.contextOf(sessionId, { headingId: seeded.s1.headingId })?.data['mood']).toBe('dread');
    q(row(), 'context-key-remove').click();
    await settle();
    expect(backend.contextOf(sessionId, { headingId: seeded.s1.headingId })?.data['weather']).toBeUndefined();
    await app.doUndo(); // weather back
    await app.doUndo(); // mood back to fear
    expect(backend.contextOf(sessionId, { headingId: seeded.s1.headingId })?.data).toMatchObject({ mood: 'fear', weather: 'clear' });
    expect(q<HTMLSelectElement>(row(), 'mood-select').value).toBe('fear');
    change(q(row(), 'location-input'), '');
    await settle();
    expect(backend.callsOf('context_set').at(-1)).toMatchObject({ data: {}, unset: ['location'] });
    q(row(), 'context-clear').click();
    await settle();
    expect(backend.contextOf(sessionId, { headingId: seeded.s1.headingId })).toBeUndefined();
  });

  it('per-character contexts within a scene', async () => {
    const { root, backend } = await startWith((b) => {
      seedIn('sessions')(b);
      b.addSession(seeded.script.scriptId, 'reading');
    });
    const sessionId = backend.sessions[0]!.sessionId;
    const sceneRow = q(root, 'scene-context-row', `[data-heading-id="${seeded.s1.headingId}"]`);
    q(sceneRow, 'character-contexts-toggle').click();
    await settle();
    const julietRow = q(root, 'character-context-row', `[data-character-id="${seeded.juliet.characterId}"]`);
    change(q(julietRow, 'mood-select'), 'longing');
    await settle();
    expect(backend.contextOf(sessionId, { headingId: seeded.s1.headingId, characterId: seeded.juliet.characterId })?.data).toEqual({ mood: 'longing' });
    change(q(root, 'character-context-add'), String(seeded.romeo.characterId));
    await settle();
    const romeoRow = q(root, 'character-context-row', `[data-character-id="${seeded.romeo.characterId}"]`);
    change(q(romeoRow, 'location-input'), 'below');
    await settle();
    expect(backend.contextOf(sessionId, { headingId: seeded.s1.headingId, characterId: seeded.romeo.characterId })?.data).toEqual({ location: 'below' });
  });
});

describe('story view', () => {
  async function storyApp() {
    return startWith((b) => {
      seedIn('story')(b);
      const s = b.addSession(seeded.script.scriptId, 'reading');
      b.setContext(s.sessionId, { headingId: seeded.s1.headingId }, { mood: 'longing', location: "Capulet's mansion balcony" });
    });
  }

  it('renders the full story under the active session with context chips', async () => {
    const { root, backend } = await storyApp();
    expect(backend.callsOf('story_full').at(-1)).toEqual({ request: { scriptId: seeded.script.scriptId, sessionId: backend.sessions[0]!.sessionId, filterByCharacter: null, filterByContext: null } });
    const items = qa(root, 'story-item');
    expect(items).toHaveLength(3);
    const line = items[1]!;
    expect(q(line, 'story-item-character').textContent).toBe('JULIET');
    expect(q(line, 'story-item-text').textContent).toBe('O Romeo, Romeo!');
    expect(qa(line, 'context-chip').map((c) => c.textContent)).toEqual(['mood:longing', "location:Capulet's mansion balcony"]);
  });

  it('filters by character and by context key=value', async () => {
    const { root, backend } = await storyApp();
    change(q(root, 'story-filter-character'), String(seeded.juliet.characterId));
    await settle();
    expect(backend.callsOf('story_full').at(-1)).toMatchObject({ request: { filterByCharacter: seeded.juliet.characterId } });
    expect(qa(root, 'story-item')).toHaveLength(1);
    change(q(root, 'story-filter-character'), '');
    type(q(root, 'story-filter-key'), 'mood');
    type(q(root, 'story-filter-value'), 'fear');
    q(root, 'story-filter-apply').click();
    await settle();
    expect(backend.callsOf('story_full').at(-1)).toMatchObject({ request: { filterByCharacter: null, filterByContext: ['mood', 'fear'] } });
    expect(qa(root, 'story-item')).toHaveLength(0);
    q(root, 'story-filter-clear').click();
    await settle();
    expect(qa(root, 'story-item')).toHaveLength(3);
  });

  it('shows the validation report and an issue opens the place at fault', async () => {
    const { root, app } = await storyApp();
    expect(q(root, 'validation-summary').textContent).toContain('1 warning');
    const issue = q(root, 'validation-issue');
    expect(issue.textContent).toContain('ROMEO never speaks');
    q(issue, 'validation-issue-link').click();
    await settle();
    expect(app.view).toBe('characters');
    expect(q(root, 'character-title').textContent).toBe('ROMEO');
  });

  it('a story heading opens the Script view with that scene selected', async () => {
    const { root, app } = await storyApp();
    qa(root, 'story-section-link')[1]!.click();
    await settle();
    expect(app.view).toBe('script');
    expect(q(root, 'scene-item', '[aria-current="true"]').dataset['headingId']).toBe(String(seeded.s2.headingId));
  });

  it('creates, compares and restores versions', async () => {
    const { root, backend } = await storyApp();
    expect(q(root, 'versions-empty')).toBeTruthy();
    backend.script(seeded.script.scriptId).title = 'Old <b>title</b>';
    type(q(root, 'version-comment-input'), 'first draft');
    key(q(root, 'version-comment-input'), 'Enter');
    q(root, 'version-create').click();
    await settle();
    backend.script(seeded.script.scriptId).title = 'New title';
    type(q(root, 'version-comment-input'), 'second');
    q(root, 'version-create').click();
    await settle();
    expect(backend.callsOf('version_create')).toEqual([
      { elementType: 'script', elementId: seeded.script.scriptId, comment: 'first draft' },
      { elementType: 'script', elementId: seeded.script.scriptId, comment: 'second' },
    ]);
    expect(qa(root, 'version-item')).toHaveLength(2);
    q(root, 'version-compare').click();
    await settle();
    expect(backend.callsOf('version_diff').at(-1)).toEqual({ elementType: 'script', elementId: seeded.script.scriptId, from: 1, to: 2 });
    expect(q(root, 'change-path').textContent).toBe('script.title');
    expect(q(root, 'change-before').textContent).toBe('Old <b>title</b>');
    expect(root.querySelector('[data-testid="change-before"] b')).toBeNull();
    const v1 = q(root, 'version-item', '[data-version="1"]');
    q(v1, 'version-restore').click();
    await settle();
    q(document, 'confirm-ok').click();
    await settle();
    expect(backend.callsOf('version_restore')).toEqual([{ elementType: 'script', elementId: seeded.script.scriptId, version: 1 }]);
  });
});
