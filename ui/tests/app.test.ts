import { describe, expect, it } from 'vitest';
import { LIBRARY_EMPTY } from '../src/views/library';
import { change, fillForm, key, q, qa, seedScript, settle, startWith, type, waitFor } from './helpers';

describe('app shell', () => {
  it('starts in the library with the empty state when nothing is remembered', async () => {
    const { root } = await startWith();
    expect(q(root, 'view-library')).toBeTruthy();
    expect(q(root, 'library-empty').textContent).toBe(LIBRARY_EMPTY);
    expect(q(root, 'nav-library').getAttribute('aria-current')).toBe('page');
  });

  it('restores the last open script and view', async () => {
    const { root, app } = await startWith((b) => seedScript(b, 'characters'));
    expect(app.view).toBe('characters');
    expect(q(root, 'view-characters')).toBeTruthy();
    expect(q(root, 'current-script-title').textContent).toBe('Balcony');
  });

  it('falls back to the library when the remembered script is gone', async () => {
    const { app } = await startWith((b) => {
      b.settings.set('lastScript', 99);
      b.settings.set('lastView', 'story');
    });
    expect(app.view).toBe('library');
    expect(app.script).toBeNull();
  });

  it('remembers the view and switches with Ctrl+1..5', async () => {
    const { root, backend } = await startWith((b) => seedScript(b));
    key(document.body, '3', { ctrlKey: true });
    await settle();
    expect(q(root, 'view-characters')).toBeTruthy();
    expect(backend.settings.get('lastView')).toBe('characters');
    key(document.body, '5', { metaKey: true });
    await settle();
    expect(q(root, 'view-story')).toBeTruthy();
    key(document.body, '1', { ctrlKey: true });
    await settle();
    expect(q(root, 'view-library')).toBeTruthy();
  });

  it('shows errors from the backend in an alert banner', async () => {
    const { root, backend } = await startWith((b) => seedScript(b));
    backend.failures.set('section_add', { code: 'conflict', message: 'Something is in the way.' } as never);
    type(q(root, 'scene-add-input'), 'INT. HALL - DAY');
    q(root, 'scene-add').click();
    await settle();
    const banner = q(root, 'error-banner');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.hidden).toBe(false);
    expect(banner.textContent).toContain('Something is in the way.');
    q(root, 'error-dismiss').click();
    expect(banner.hidden).toBe(true);
  });

  it('shows the progress indicator only for commands slower than 150 ms', async () => {
    const { root, backend, app } = await startWith((b) => seedScript(b));
    const busy = q(root, 'busy-indicator');
    expect(busy.hidden).toBe(true);
    backend.delay = 60;
    let seen = false;
    const watch = setInterval(() => (seen ||= !busy.hidden), 5);
    await app.navigate('script');
    expect(seen).toBe(false);
    backend.delay = 250;
    const nav = app.navigate('characters');
    await waitFor(() => !busy.hidden);
    await nav;
    await settle();
    clearInterval(watch);
    expect(busy.hidden).toBe(true);
  });

  it('undo and redo from the toolbar and the keyboard', async () => {
    const { root, backend } = await startWith((b) => seedScript(b));
    expect((q(root, 'undo') as HTMLButtonElement).disabled).toBe(true);
    type(q(root, 'scene-add-input'), 'INT. HALL - DAY');
    q(root, 'scene-add').click();
    await settle();
    expect(backend.sections).toHaveLength(3);
    expect((q(root, 'undo') as HTMLButtonElement).disabled).toBe(false);
    // The add input is empty again, so Ctrl+Z there is the app's undo.
    key(q(root, 'scene-add-input'), 'z', { ctrlKey: true });
    await settle();
    expect(backend.sections).toHaveLength(2);
    expect(qa(root, 'scene-item')).toHaveLength(2);
    q(root, 'redo').click();
    await settle();
    expect(qa(root, 'scene-item')).toHaveLength(3);
    key(document.body, 'z', { ctrlKey: true, shiftKey: true });
    await settle();
    expect(backend.sections).toHaveLength(3); // nothing left to redo
    key(document.body, 'z', { ctrlKey: true });
    await settle();
    key(document.body, 'y', { ctrlKey: true });
    await settle();
    expect(backend.sections).toHaveLength(3);
  });

  it('leaves Ctrl+Z to a text field that has text in it', async () => {
    const { root, backend } = await startWith((b) => seedScript(b));
    type(q(root, 'scene-add-input'), 'INT. HALL - DAY');
    q(root, 'scene-add').click();
    await settle();
    type(q(root, 'scene-add-input'), 'typing');
    key(q(root, 'scene-add-input'), 'z', { ctrlKey: true });
    await settle();
    expect(backend.sections).toHaveLength(3);
  });
});

describe('library', () => {
  it('creates a script and opens it', async () => {
    const { root, backend, app } = await startWith();
    const values: [string, string][] = [
      ['script-title-input', 'My Film'],
      ['script-author-input', 'Ann'],
      ['script-description-input', 'A story'],
    ];
    await fillForm(root, 'library-new', values, 'script-create-submit');
    expect(backend.scripts).toMatchObject([{ title: 'My Film', author: 'Ann', description: 'A story' }]);
    expect(app.view).toBe('script');
    expect(backend.settings.get('lastScript')).toBe(backend.scripts[0]!.scriptId);
    expect(q(root, 'script-empty').textContent).toContain('This script has no scenes yet');
  });

  it('lists scripts with author and local date, searches by title or author', async () => {
    const { root, backend } = await startWith((b) => {
      b.addScript('Alpha', 'Zed');
      b.addScript('Beta', 'Yan');
      b.addScript('Gamma', 'Alphonse');
    });
    expect(qa(root, 'script-item')).toHaveLength(3);
    expect(q(root, 'script-item-updated').textContent).not.toBe('');
    type(q(root, 'library-search'), 'alph');
    key(q(root, 'library-search'), 'Enter');
    await settle();
    expect(qa(root, 'script-item-title').map((t) => t.textContent)).toEqual(['Alpha', 'Gamma']);
    expect(backend.callsOf('script_list').at(-1)).toMatchObject({ query: { author: 'alph' } });
    type(q(root, 'library-search'), 'nothing');
    key(q(root, 'library-search'), 'Enter');
    await settle();
    expect(q(root, 'library-no-match')).toBeTruthy();
  });

  it('deletes a script only after confirming in an in-app dialog', async () => {
    const { root, backend } = await startWith((b) => {
      b.addScript('Keep');
      b.addScript('Drop');
    });
    const row = qa(root, 'script-item')[1]!;
    q(row, 'script-delete').click();
    await settle();
    expect(q(document, 'confirm-dialog').getAttribute('role')).toBe('dialog');
    q(document, 'confirm-cancel').click();
    await settle();
    expect(backend.scripts).toHaveLength(2);
    q(qa(root, 'script-item')[1]!, 'script-delete').click();
    await settle();
    q(document, 'confirm-ok').click();
    await settle();
    expect(backend.scripts.map((s) => s.title)).toEqual(['Keep']);
    expect(qa(root, 'script-item')).toHaveLength(1);
  });

  it('Escape cancels the confirmation dialog', async () => {
    const { root, backend } = await startWith((b) => b.addScript('Keep'));
    q(root, 'script-delete').click();
    await settle();
    key(document.activeElement ?? document.body, 'Escape');
    await settle();
    expect(document.querySelector('[data-testid="confirm-dialog"]')).toBeNull();
    expect(backend.scripts).toHaveLength(1);
  });

  it('opens a script with Enter and loads the example', async () => {
    const { root, app, backend } = await startWith();
    q(root, 'library-load-example').click();
    await settle();
    expect(backend.callsOf('example_load')).toEqual([{ name: 'romeo-and-juliet' }]);
    const row = q(root, 'script-item');
    expect(q(row, 'script-item-title').textContent).toBe('Romeo and Juliet');
    key(row, 'Enter');
    await settle();
    expect(app.view).toBe('script');
    expect(app.sessionId).toBe(backend.sessions[0]!.sessionId);
    expect(qa(root, 'element-text')[0]!.textContent).toBe('O Romeo, Romeo! wherefore art thou Romeo?');
  });

  it('a search box change filters after a short pause', async () => {
    const { root } = await startWith((b) => {
      b.addScript('Alpha');
      b.addScript('Beta');
    });
    const search = q<HTMLInputElement>(root, 'library-search');
    change(search, 'bet');
    search.dispatchEvent(new Event('input', { bubbles: true }));
    await waitFor(() => qa(root, 'script-item').length === 1);
  });
});
