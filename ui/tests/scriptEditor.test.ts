import { describe, expect, it } from 'vitest';
import { emit } from '@tauri-apps/api/event';
import { key, q, qa, seedScript, settle, startWith, type, waitFor, editorView, openEditor } from './helpers';

/** The editor open on the seeded script with text typed that the backend refuses to save. */
async function typedWhileSavesFail() {
  const { root, backend } = await startWith(seedScript);
  const view = await openEditor(root);
  backend.failures.set('screenplay_save', { code: 'database', message: 'disk full' } as never);
  view.dispatch({ changes: { from: 0, insert: 'FADE IN:\n\n' } });
  return { root, backend, view };
}

describe('script view: Fountain editor mode', () => {
  it('loads the script as Fountain, highlights its lines and lists its scenes', async () => {
    const { root, backend } = await startWith(seedScript);
    const view = await openEditor(root);
    const scriptId = backend.scripts[0]!.scriptId;
    expect(backend.callsOf('screenplay_editor_text')).toEqual([{ scriptId }]);
    expect(view.state.doc.toString()).toContain('EXT. ORCHARD - NIGHT');
    expect(qa(root, 'editor-scene-title').map((t) => t.textContent)).toEqual(['EXT. ORCHARD - NIGHT', 'INT. TOMB - NIGHT']);
    const kinds = [...root.querySelectorAll<HTMLElement>('.cm-line')].map((l) => l.dataset['kind'] ?? 'blank');
    expect(kinds).toContain('scene_heading');
    expect(kinds).toContain('character');
    expect(kinds).toContain('dialogue');
    expect(q(root, 'script-mode-editor').getAttribute('aria-selected')).toBe('true');
  });

  it('shows markup in the text and in scene headings literally', async () => {
    const markup = 'INT. <IMG SRC=X ONERROR=ALERT(1)> - DAY';
    const { root } = await startWith((b) => {
      const { script } = seedScript(b);
      b.texts.set(script.scriptId, `${markup}\n\n<script>alert(2)</script> [[<b>note</b>]]\n`);
    });
    const view = await openEditor(root);
    expect(view.state.doc.toString()).toContain('<script>alert(2)</script>');
    expect(qa(root, 'editor-scene-title').map((t) => t.textContent)).toEqual([markup]);
    expect(root.querySelectorAll('[data-testid="view-script"] img, [data-testid="view-script"] script, [data-testid="view-script"] b')).toHaveLength(0);
    expect(root.querySelector('.cm-content')!.textContent).toContain('<script>alert(2)</script>');
  });

  it('autosaves through screenplay_save and shows the new scene in the structured view', async () => {
    const { root, backend } = await startWith(seedScript);
    const view = await openEditor(root);
    const end = view.state.doc.length;
    view.dispatch({ changes: { from: end, insert: '\nINT. CRYPT - NIGHT\n\nA candle gutters.\n' } });
    expect(q(root, 'editor-save-state').dataset['state']).toBe('dirty');
    await waitFor(() => q(root, 'editor-save-state').dataset['state'] === 'saved', 3000);
    const synced = backend.callsOf('screenplay_save');
    expect(synced).toHaveLength(1);
    expect((synced[0]!['save'] as { text: string }).text).toContain('A candle gutters.');
    expect(qa(root, 'editor-scene-title').map((t) => t.textContent)).toEqual(['EXT. ORCHARD - NIGHT', 'INT. TOMB - NIGHT', 'INT. CRYPT - NIGHT']);
    q(root, 'script-mode-scenes').click();
    await waitFor(() => qa(root, 'scene-title').length === 3);
    expect(qa(root, 'scene-title').map((t) => t.textContent)).toEqual(['EXT. ORCHARD - NIGHT', 'INT. TOMB - NIGHT', 'INT. CRYPT - NIGHT']);
  });

  it('keeps the text and says so when a save fails', async () => {
    const { root, backend } = await startWith(seedScript);
    const view = await openEditor(root);
    backend.failures.set('screenplay_save', { code: 'database', message: 'database is locked' } as never);
    view.dispatch({ changes: { from: 0, insert: 'FADE IN:\n\n' } });
    await waitFor(() => q(root, 'editor-save-state').dataset['state'] === 'error', 3000);
    expect(q(root, 'editor-save-error').textContent).toBe('database is locked');
    expect(view.state.doc.toString().startsWith('FADE IN:')).toBe(true);
    // The next keystroke saves again, with everything typed.
    view.dispatch({ changes: { from: 0, insert: ' ' } });
    await waitFor(() => q(root, 'editor-save-state').dataset['state'] === 'saved', 3000);
    expect(backend.texts.get(backend.scripts[0]!.scriptId)!.startsWith(' FADE IN:')).toBe(true);
  });

  it('closing the window right after a keystroke saves the text first, then closes', async () => {
    const { root, backend } = await startWith(seedScript);
    const view = await openEditor(root);
    view.dispatch({ changes: { from: 0, insert: 'FADE IN:\n\n' } });
    await emit('close-requested');
    await waitFor(() => backend.callsOf('app_close').length === 1);
    expect(backend.callsOf('app_close')).toEqual([{ quit: true }]);
    const order = backend.calls.map((c) => c.cmd).filter((c) => c === 'screenplay_save' || c === 'app_close');
    expect(order).toEqual(['screenplay_save', 'app_close']);
    expect(backend.texts.get(backend.scripts[0]!.scriptId)!.startsWith('FADE IN:')).toBe(true);
  });

  it('a close whose save fails keeps the window open and says so; closing again quits', async () => {
    const { root, backend, view } = await typedWhileSavesFail();
    await emit('close-requested');
    await waitFor(() => backend.callsOf('app_close').length === 1);
    expect(backend.callsOf('app_close')).toEqual([{ quit: false }]);
    expect(q(root, 'error-message').textContent).toContain('could not be saved');
    expect(view.state.doc.toString().startsWith('FADE IN:')).toBe(true);

    backend.failures.set('screenplay_save', { code: 'database', message: 'disk full' } as never);
    await emit('close-requested');
    await waitFor(() => backend.callsOf('app_close').length === 2);
    expect(backend.callsOf('app_close')[1]).toEqual({ quit: true });
  });

  it('text a closed editor could not save keeps the window open when it closes', async () => {
    const { root, backend } = await typedWhileSavesFail();
    q(root, 'script-mode-scenes').click();
    await waitFor(() => q(root, 'error-message').textContent?.includes('could not be saved yet'));
    await emit('close-requested');
    await waitFor(() => backend.callsOf('app_close').length === 1);
    expect(backend.callsOf('app_close')).toEqual([{ quit: false }]);
  });

  it('the navigator follows the cursor and a click moves the cursor to the scene', async () => {
    const { root } = await startWith(seedScript);
    const view = await openEditor(root);
    const items = () => qa(root, 'editor-scene-item');
    expect(items()[0]!.getAttribute('aria-current')).toBe('true');
    items()[1]!.click();
    const line = view.state.doc.lineAt(view.state.selection.main.head);
    expect(line.text).toBe('INT. TOMB - NIGHT');
    expect(items()[1]!.getAttribute('aria-current')).toBe('true');
    expect(items()[0]!.getAttribute('aria-current')).toBeNull();
    view.dispatch({ selection: { anchor: 0 } });
    expect(items()[0]!.getAttribute('aria-current')).toBe('true');
  });

  it('Ctrl+E toggles the modes and leaving the editor saves pending text', async () => {
    const { root, backend } = await startWith(seedScript);
    // The view opens in the mode used last; start from the scenes.
    q(root, 'script-mode-scenes').click();
    await settle();
    key(document.body, 'e', { ctrlKey: true });
    const view = await waitFor(() => root.querySelector('.cm-editor') && editorView(root));
    view.dispatch({ changes: { from: 0, insert: 'FADE IN:\n\n' } });
    key(document.body, 'e', { ctrlKey: true });
    await waitFor(() => root.querySelector('[data-testid="scene-list"]'));
    await settle();
    expect(backend.callsOf('screenplay_save')).toHaveLength(1);
    expect(root.querySelector('.cm-editor')).toBeNull();
  });

  it('exports through the native dialog after saving the text typed last', async () => {
    const { root, backend } = await startWith(seedScript);
    const view = await openEditor(root);
    backend.exportDialogResult = '/tmp/balcony.fdx';
    view.dispatch({ changes: { from: 0, insert: 'FADE IN:\n\n' } });
    q(root, 'script-export-fdx').click();
    await waitFor(() => backend.callsOf('screenplay_export_dialog').length === 1);
    expect(backend.calls.map((c) => c.cmd).filter((c) => c === 'screenplay_save' || c === 'screenplay_export_dialog')).toEqual(['screenplay_save', 'screenplay_export_dialog']);
    expect(backend.callsOf('screenplay_export_dialog')).toEqual([{ scriptId: backend.scripts[0]!.scriptId, format: 'fdx' }]);
    await waitFor(() => q(root, 'status-message').textContent === 'Exported to /tmp/balcony.fdx');
  });

  it('exports nothing while the latest text cannot be saved, and says so', async () => {
    const { root, backend } = await typedWhileSavesFail();
    q(root, 'script-export-pdf').click();
    await waitFor(() => q(root, 'error-message').textContent?.includes('nothing was exported'));
    expect(backend.callsOf('screenplay_export_dialog')).toHaveLength(0);
  });

  it("the File menu's Export saves the editor's text, then exports the open script", async () => {
    const { root, backend } = await startWith(seedScript);
    const view = await openEditor(root);
    backend.exportDialogResult = '/tmp/balcony.pdf';
    view.dispatch({ changes: { from: 0, insert: 'FADE IN:\n\n' } });
    await emit('menu', 'export-pdf');
    await waitFor(() => backend.callsOf('screenplay_export_dialog').length === 1);
    expect(backend.calls.map((c) => c.cmd).filter((c) => c === 'screenplay_save' || c === 'screenplay_export_dialog')).toEqual(['screenplay_save', 'screenplay_export_dialog']);
    expect(backend.callsOf('screenplay_export_dialog')).toEqual([{ scriptId: backend.scripts[0]!.scriptId, format: 'pdf' }]);
    await waitFor(() => q(root, 'status-message').textContent === 'Exported to /tmp/balcony.pdf (1 page)');
  });

  it('a PDF export names the characters its font cannot print', async () => {
    const { root, backend } = await startWith(seedScript);
    const view = await openEditor(root);
    backend.exportDialogResult = '/tmp/balcony.pdf';
    view.dispatch({ changes: { from: 0, insert: 'NOTE ON THE WALL: 你好, Ελένη, Čapek, Жизнь.\n\n' } });
    q(root, 'script-export-pdf').click();
    await waitFor(() => backend.callsOf('screenplay_export_dialog').length === 1);
    await waitFor(() => q(root, 'status-message').textContent === 'Exported to /tmp/balcony.pdf (1 page). The font has no 你 好, so the PDF prints ? in their place.');
  });

  it("File → Export Story Bundle saves the editor's text, then writes the bundle and says where", async () => {
    const { root, backend } = await startWith(seedScript);
    const view = await openEditor(root);
    backend.exportDialogResult = '/tmp/balcony.fountainai';
    view.dispatch({ changes: { from: 0, insert: 'FADE IN:\n\n' } });
    await emit('menu', 'export-bundle');
    await waitFor(() => backend.callsOf('bundle_export_dialog').length === 1);
    expect(backend.calls.map((c) => c.cmd).filter((c) => c === 'screenplay_save' || c === 'bundle_export_dialog')).toEqual(['screenplay_save', 'bundle_export_dialog']);
    expect(backend.callsOf('bundle_export_dialog')).toEqual([{ scriptId: backend.scripts[0]!.scriptId, sessionId: null }]);
    await waitFor(() => q(root, 'status-message').textContent === 'Story bundle saved to /tmp/balcony.fountainai (4 files).');
  });

  it('Link to File shows the linked path in the Script view, and Unlink takes it away', async () => {
    const { root, backend } = await startWith(seedScript);
    await openEditor(root);
    expect(root.querySelector('[data-testid="linked-path"]')).toBeNull();
    backend.exportDialogResult = '/home/writer/balcony.fountain';
    q(root, 'script-link').click();
    await waitFor(() => root.querySelector('[data-testid="linked-path"]'));
    expect(q(root, 'linked-path').textContent).toBe('Linked to /home/writer/balcony.fountain');
    expect(backend.links.get(backend.scripts[0]!.scriptId)).toBe('/home/writer/balcony.fountain');
    q(root, 'script-unlink').click();
    await waitFor(() => root.querySelector('[data-testid="script-link"]'));
    expect(backend.links.size).toBe(0);
  });

  it('the toolbar Undo in the editor shows the undone change in the text, and typing keeps it', async () => {
    const { root, backend } = await startWith(seedScript);
    q(root, 'script-mode-scenes').click();
    await waitFor(() => root.querySelector('[data-testid="scene-add-input"]'));
    type(q<HTMLInputElement>(root, 'scene-add-input'), 'INT. CRYPT - NIGHT');
    q(root, 'scene-add').click();
    await waitFor(() => qa(root, 'scene-title').length === 3);
    const view = await openEditor(root);
    expect(view.state.doc.toString()).toContain('INT. CRYPT - NIGHT');
    q(root, 'undo').click();
    const fresh = await waitFor(() => {
      const v = root.querySelector('[data-testid="editor"] .cm-editor') && editorView(root);
      return v && v !== view && !v.state.doc.toString().includes('INT. CRYPT - NIGHT') && v;
    });
    fresh.dispatch({ changes: { from: 0, insert: 'FADE IN:\n\n' } });
    await waitFor(() => q(root, 'editor-save-state').dataset['state'] === 'saved', 3000);
    expect(backend.sections.map((s) => s.title)).not.toContain('INT. CRYPT - NIGHT');
    expect(backend.texts.get(backend.scripts[0]!.scriptId)!.startsWith('FADE IN:')).toBe(true);
  });

  it('imports and opens a script', async () => {
    const { root, backend } = await startWith(seedScript);

    const other = backend.addScript('Imported');
    backend.importDialogResult = { scriptId: other.scriptId, sections: 4, characters: 2, elements: 9 };
    q(root, 'script-import').click();
    await waitFor(() => q(root, 'current-script-title').textContent === 'Imported');
    expect(q(root, 'status-message').textContent).toBe('Imported 4 scenes, 2 characters, 9 elements.');
  });

  it('opens a script the app imported (open-script event) and shows progress events', async () => {
    const { root, backend } = await startWith(seedScript);
    const other = backend.addScript('From the command line');
    await emit('progress', { task: 'Import', step: 'parsing', done: 1, total: 3 });
    await settle();
    expect(q(root, 'progress').hidden).toBe(false);
    expect(q(root, 'progress').textContent).toBe('Import: parsing (1/3)');
    await emit('progress', { task: 'Import', step: 'done', done: 3, total: 3 });
    await emit('open-script', other.scriptId);
    await waitFor(() => q(root, 'current-script-title').textContent === 'From the command line');
    expect(q(root, 'progress').hidden).toBe(true);
  });

  it('opens the screenplay the app was started with', async () => {
    const { root, backend } = await startWith((b) => {
      seedScript(b, 'library');
      const imported = b.addScript('Brick & Steel');
      b.launchResult = { scriptId: imported.scriptId, sections: 3, characters: 2, elements: 12 };
    });
    await waitFor(() => q(root, 'current-script-title').textContent === 'Brick & Steel');
    expect(backend.callsOf('screenplay_launch_import')).toHaveLength(1);
    expect(q(root, 'view-script')).toBeTruthy();
  });

  it('the File menu\'s New Script opens the new-script form', async () => {
    const { root } = await startWith(seedScript);
    await emit('menu', 'new-script');
    await waitFor(() => root.querySelector<HTMLElement>('[data-testid="library-new-form"]')?.hidden === false);
  });
});

describe('script view: title and author', () => {
  it('edits title and author, undoably', async () => {
    const { root, backend } = await startWith(seedScript);
    q(root, 'script-details-edit').click();
    (q<HTMLInputElement>(root, 'script-edit-title')).value = 'Balcony Scene';
    (q<HTMLInputElement>(root, 'script-edit-author')).value = 'Will';
    q(root, 'script-edit-save').click();
    await waitFor(() => q(root, 'current-script-title').textContent === 'Balcony Scene');
    expect(q(root, 'script-details-author').textContent).toBe('by Will');
    expect(backend.scripts[0]!.author).toBe('Will');
    q(root, 'undo').click();
    await waitFor(() => backend.scripts[0]!.title === 'Balcony');
    expect(backend.scripts[0]!.author).toBe('W. S.');
  });
});

describe('sessions: edit and delete', () => {
  it('renames a session and deletes it with its contexts; undo brings both back', async () => {
    const { root, backend } = await startWith((b) => {
      const seeded = seedScript(b, 'sessions');
      const session = b.addSession(seeded.script.scriptId, 'First reading');
      b.setContext(session.sessionId, { headingId: seeded.s1.headingId }, { mood: 'fear' });
      b.settings.set(`activeSession:${seeded.script.scriptId}`, session.sessionId);
    });
    q(root, 'session-edit').click();
    await settle();
    const input = q<HTMLInputElement>(root, 'session-edit-input');
    input.value = 'Dark reading';
    key(input, 'Enter');
    await waitFor(() => root.querySelector('[data-testid="session-context"]')?.textContent === 'Dark reading');
    expect(backend.sessions[0]!.context).toBe('Dark reading');

    q(root, 'session-delete').click();
    q(document.body, 'confirm-ok').click();
    await waitFor(() => root.querySelector('[data-testid="sessions-empty"]'));
    expect(backend.sessions).toHaveLength(0);
    expect(backend.contexts).toHaveLength(0);

    q(root, 'undo').click();
    await waitFor(() => backend.sessions.length === 1);
    const back = backend.sessions[0]!;
    expect(back.context).toBe('Dark reading');
    expect(backend.contexts.map((c) => [c.sessionId, c.data])).toEqual([[back.sessionId, { mood: 'fear' }]]);
    // The rename before the delete still undoes, on the session as it is now.
    q(root, 'undo').click();
    await waitFor(() => backend.sessions[0]!.context === 'First reading');
  });
});
