import { describe, expect, it } from 'vitest';
import { emit } from '@tauri-apps/api/event';
import { fillForm, openEditor, q, qa, seedScript, settle, startWith, type, waitFor } from './helpers';
import type { FakeBackend } from './fakeBackend';

const ROOM = { room: 'postgres://alice@db.example.org/story', user: 'alice', mayWrite: true };

function inRoom(mayWrite = true) {
  return (b: FakeBackend) => {
    seedScript(b);
    b.access = { ...ROOM, mayWrite };
  };
}

describe("the writers' room", () => {
  it('names the room and follows the open script', async () => {
    const { root, backend } = await startWith(inRoom());
    expect(q(root, 'room-badge').textContent).toBe('Room story on db.example.org as alice');
    expect(root.querySelector('[data-testid="read-only-notice"]')).toBeNull();
    expect(backend.callsOf('room_follow').at(-1)).toEqual({ scriptId: backend.scripts[0]!.scriptId });
  });

  it('offers the local library a way into a room from the sidebar', async () => {
    const { root, backend } = await startWith(seedScript);
    expect(root.querySelector('[data-testid="room-badge"]')).toBeNull();
    expect(root.querySelector('[data-testid="room-open-local"]')).toBeNull();
    q(root, 'room-open-dialog').click();
    await waitFor(() => document.querySelector('[data-testid="room-dialog"]'));
    type(q<HTMLInputElement>(document, 'room-url'), 'postgres://db.example.org/story');
    type(q<HTMLInputElement>(document, 'room-user'), 'alice');
    q(document, 'room-open').click();
    await waitFor(() => backend.openedRoom);
    expect(backend.openedRoom).toEqual({ url: 'postgres://db.example.org/story', user: 'alice', password: null });
  });

  it('leaves a room for the local library from the sidebar', async () => {
    const { root, backend } = await startWith(inRoom());
    expect(root.querySelector('[data-testid="room-open-dialog"]')).toBeNull();
    q(root, 'room-open-local').click();
    await waitFor(() => backend.callsOf('room_open_local').length === 1);
  });

  it("draws another writer's new line in the Scenes view", async () => {
    const { root, backend } = await startWith(inRoom());
    const { scriptId } = backend.scripts[0]!;
    const heading = backend.sections[0]!.headingId;
    backend.addElement(heading, { kind: 'action', text: 'A nightingale sings.' });
    await emit('room-change', { scriptId, revision: 5 });
    await waitFor(() => root.textContent?.includes('A nightingale sings.'));
  });

  it("loads another writer's change into the Fountain editor when nothing is unsaved", async () => {
    const { root, backend } = await startWith(inRoom());
    const view = await openEditor(root);
    const { scriptId } = backend.scripts[0]!;
    const text = `${view.state.doc.toString()}\nINT. CRYPT - NIGHT\n\nA candle gutters.\n`;
    await backend.otherWriterChanged(scriptId, text);
    await waitFor(() => view.state.doc.toString().includes('A candle gutters.'));
    expect(q(root, 'editor-save-state').dataset['state']).toBe('saved');
    expect(backend.callsOf('screenplay_save')).toHaveLength(0);
  });

  it("keeps the writer's unsaved text and says another writer changed the script", async () => {
    const { root, backend } = await startWith(inRoom());
    const view = await openEditor(root);
    const { scriptId } = backend.scripts[0]!;
    view.dispatch({ changes: { from: 0, insert: 'FADE IN:\n\n' } });
    const mine = view.state.doc.toString();
    await backend.otherWriterChanged(scriptId, 'INT. ELSEWHERE - DAY\n\nSomeone else wrote this.\n');
    await waitFor(() => root.querySelector('[data-testid="editor-room-notice"]'));
    expect(q(root, 'editor-room-notice').textContent).toContain('Another writer changed this script');
    expect(view.state.doc.toString()).toBe(mine);
    // Saving it meets the other writer's change: the two are merged, nothing of either lost.
    await waitFor(() => root.querySelector('[data-testid="editor-merge-notice"]'), 3000);
    expect(view.state.doc.toString()).toContain('FADE IN:');
    expect(view.state.doc.toString()).toContain('Someone else wrote this.');
  });

  it("does not reload the editor for this window's own save", async () => {
    const { root, backend } = await startWith(inRoom());
    const view = await openEditor(root);
    const { scriptId } = backend.scripts[0]!;
    view.dispatch({ changes: { from: 0, insert: 'FADE IN:\n\n' } });
    await waitFor(() => q(root, 'editor-save-state').dataset['state'] === 'saved', 3000);
    const loads = backend.callsOf('screenplay_editor_text').length;
    await emit('room-change', { scriptId, revision: backend.scripts[0]!.revision });
    await settle();
    expect(backend.callsOf('screenplay_editor_text')).toHaveLength(loads);
    // The library's announcement of the same change (no revision) does not reload it either.
    await emit('room-change', { scriptId, revision: null });
    await settle();
    expect(backend.callsOf('screenplay_editor_text')).toHaveLength(loads);
    expect(root.querySelector('[data-testid="editor-room-notice"]')).toBeNull();
  });

  it('redraws the Library when another writer adds a script', async () => {
    const { root, backend } = await startWith((b) => {
      b.addScript('Balcony', 'W. S.');
      b.access = ROOM;
    });
    const added = backend.addScript('Second Act', 'A. N. Other');
    await emit('room-change', { scriptId: added.scriptId, revision: null });
    await waitFor(() => qa(root, 'script-item-title').some((t) => t.textContent === 'Second Act'));
  });

  it("shows a reader the script read-only, and a refused write's message", async () => {
    const { root, backend } = await startWith(inRoom(false));
    expect(q(root, 'read-only-notice').textContent).toBe('read-only: you are a reader in this room');
    const view = await openEditor(root);
    expect(view.state.readOnly).toBe(true);
    q(root, 'script-mode-scenes').click();
    await waitFor(() => root.querySelector('[data-testid="script-read-only"]'));
    expect(q<HTMLFieldSetElement>(root, 'script-read-only').disabled).toBe(true);
    expect(q<HTMLInputElement>(root, 'scene-add-input').disabled).toBe(true);
    expect(backend.callsOf('setting_set')).toHaveLength(0);
    // A write that still happens (a new script from the Library) is refused and says why.
    const refusal = 'permission denied: you are a reader in this writers\' room';
    backend.failures.set('script_create', { code: 'forbidden', message: refusal } as never);
    q(root, 'nav-library').click();
    await waitFor(() => root.querySelector('[data-testid="library-new"]'));
    await fillForm(root, 'library-new', [['script-title-input', 'Mine'], ['script-author-input', 'Me']], 'script-create-submit');
    await waitFor(() => q(root, 'error-message').textContent === refusal);
    expect(q(root, 'error-banner').dataset['code']).toBe('forbidden');
  });

  it('opens a room from File → Open Writers’ Room… with the address, user and password', async () => {
    const { root, backend } = await startWith(seedScript);
    await emit('menu', 'open-room');
    await waitFor(() => document.querySelector('[data-testid="room-dialog"]'));
    type(q<HTMLInputElement>(document, 'room-url'), 'sqlite:nope');
    q(document, 'room-open').click();
    await waitFor(() => q(document, 'room-error').textContent?.includes('postgres://'));
    type(q<HTMLInputElement>(document, 'room-url'), 'postgres://db.example.org/story?sslmode=require');
    type(q<HTMLInputElement>(document, 'room-user'), 'alice');
    type(q<HTMLInputElement>(document, 'room-password'), 's3cret');
    q(document, 'room-open').click();
    await waitFor(() => backend.openedRoom);
    expect(backend.openedRoom).toEqual({ url: 'postgres://db.example.org/story?sslmode=require', user: 'alice', password: 's3cret' });
    expect(document.querySelector('[data-testid="room-dialog"]')).toBeNull();
    // The password went nowhere else the UI can write to.
    expect(JSON.stringify(backend.calls.filter((c) => c.cmd !== 'room_open'))).not.toContain('s3cret');
    expect(root.isConnected).toBe(true);
  });

  it('shows who saved each version in the Story view', async () => {
    const { root, backend } = await startWith((b) => {
      const { script } = seedScript(b, 'story');
      b.access = ROOM;
      b.addVersion('script', script.scriptId, 'First draft');
    });
    await waitFor(() => qa(root, 'version-author').length > 0);
    expect(qa(root, 'version-author')[0]!.textContent).toBe(`by ${backend.versions[0]!.createdBy}`);
  });
});
