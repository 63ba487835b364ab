// No silent lost update and no lost draft: the editor sends the text and revision it started
// from, and a save over a change made elsewhere merges the two and says what it did; unsaved
// text is kept as a draft and offered back when the script is opened again.

import { describe, expect, it } from 'vitest';
import { q, seedScript, startWith, waitFor, openEditor } from './helpers';
import { DraftKeeper } from '../src/editor/draftkeeper';
import { mergeNotice } from '../src/views/editor';

const saved = (root: HTMLElement) => q(root, 'editor-save-state').dataset['state'] === 'saved';

describe('the editor against a script changed elsewhere', () => {
  it('sends the revision it loaded and then the one each save answers', async () => {
    const { root, backend } = await startWith(seedScript);
    const view = await openEditor(root);
    const script = backend.scripts[0]!;
    const loaded = script.revision;
    view.dispatch({ changes: { from: view.state.doc.length, insert: '\nA bell tolls.\n' } });
    await waitFor(() => saved(root), 3000);
    view.dispatch({ changes: { from: view.state.doc.length, insert: '\nAnother bell.\n' } });
    await waitFor(() => backend.callsOf('screenplay_save').length === 2 && saved(root), 3000);
    expect(backend.callsOf('screenplay_save').map((c) => (c['save'] as { baseRevision: number }).baseRevision)).toEqual([loaded, loaded + 1]);
  });

  it('merges a save over a change made elsewhere and names the scenes that changed there', async () => {
    const { root, backend } = await startWith(seedScript);
    const view = await openEditor(root);
    const script = backend.scripts[0]!;
    const base = view.state.doc.toString();
    const loaded = script.revision;
    const tomb = base.indexOf('INT. TOMB - NIGHT');
    // Another writer changes the first scene through the CLI.
    backend.otherWriter(script.scriptId, base.replace('EXT. ORCHARD - NIGHT\n', 'EXT. ORCHARD - NIGHT\n\nOwls call.\n'));
    view.dispatch({ changes: { from: tomb, insert: 'INT. CRYPT - NIGHT\n\nA candle gutters.\n\n' } });
    const mine = view.state.doc.toString();
    await waitFor(() => root.querySelector('[data-testid="editor-merge-notice"]'), 3000);
    const merged = view.state.doc.toString();
    expect(merged).toContain('Owls call.');
    expect(merged).toContain('A candle gutters.');
    expect(backend.callsOf('screenplay_save')[0]).toEqual({ scriptId: script.scriptId, save: { text: mine, baseText: base, baseRevision: loaded } });
    expect(backend.texts.get(script.scriptId)).toBe(merged);
    expect(q(root, 'editor-merge-notice').textContent).toBe('Merged with the changes made elsewhere to EXT. ORCHARD - NIGHT.');
    expect(q(root, 'editor-notice').dataset['kind']).toBe('merged');
    await waitFor(() => saved(root), 3000);
    // Saving goes on from the merged revision.
    view.dispatch({ changes: { from: view.state.doc.length, insert: '\nThe end.\n' } });
    await waitFor(() => saved(root) && backend.texts.get(script.scriptId)!.includes('The end.'), 3000);
  });

  it('shows the lines a save lost to another writer, kept as alts', async () => {
    const { root, backend } = await startWith(seedScript);
    const view = await openEditor(root);
    const script = backend.scripts[0]!;
    const base = view.state.doc.toString();
    const tomb = base.indexOf('INT. TOMB - NIGHT');
    backend.otherWriter(script.scriptId, `${base.slice(0, tomb)}INT. TOMB - NIGHT\n\nTheirs.\n`);
    view.dispatch({ changes: { from: tomb, to: base.length, insert: 'INT. TOMB - NIGHT\n\nMine.\n' } });
    await waitFor(() => root.querySelector('[data-testid="editor-merge-notice"]'), 3000);
    expect(q(root, 'editor-notice').dataset['kind']).toBe('conflict');
    expect(q(root, 'editor-merge-notice').textContent).toContain('INT. TOMB - NIGHT');
    expect(view.state.doc.toString()).toContain('Theirs.');
  });

  it('tells the writer which scenes both sides changed', () => {
    const sync = { sections: { kept: 0, added: 0, changed: 0, removed: 0 }, elements: { kept: 0, added: 0, changed: 0, removed: 0 }, revision: 4 };
    const both = { sync, text: '', merged: true, changedElsewhere: [{ headingId: 1, title: 'INT. TOMB - NIGHT', revision: 4 }], titlePageBoth: false, bothChanged: [{ headingId: 1, title: 'INT. TOMB - NIGHT', alts: [] }], conflict: null };
    expect(mergeNotice(both)).toContain('INT. TOMB - NIGHT');
    expect(mergeNotice(both)).toContain('alts');
    const refused = { ...both, conflict: { code: 'conflict', message: '1 line you changed in INT. TOMB - NIGHT had been changed by another writer too: theirs stand, yours are kept as their alts' } };
    expect(mergeNotice(refused)).toBe('Merged with the changes made elsewhere to INT. TOMB - NIGHT. 1 line you changed in INT. TOMB - NIGHT had been changed by another writer too: theirs stand, yours are kept as their alts.');
  });
});

describe('drafts against a crash', () => {
  it('keeps unsaved text within a second while the writer types, and clears it once saved', async () => {
    const { root, backend } = await startWith(seedScript);
    const view = await openEditor(root);
    const script = backend.scripts[0]!;
    backend.failures.set('screenplay_save', { code: 'database', message: 'database is locked' } as never);
    view.dispatch({ changes: { from: 0, insert: 'FADE IN:\n\n' } });
    await waitFor(() => backend.callsOf('draft_save').length > 0, 1000);
    await waitFor(() => q(root, 'editor-save-state').dataset['state'] === 'error', 3000);
    const draft = backend.settings.get(`draft.script-${script.scriptId}`) as { text: string; baseRevision: number };
    expect(draft.text.startsWith('FADE IN:')).toBe(true);
    expect(draft.baseRevision).toBe(script.revision);
    // The retry saves; the draft goes.
    view.dispatch({ changes: { from: 0, insert: ' ' } });
    await waitFor(() => saved(root) && backend.callsOf('draft_clear').length > 0, 3000);
    expect(backend.settings.has(`draft.script-${script.scriptId}`)).toBe(false);
  });

  it('offers a kept draft when the script opens; restoring gives the typed text, which is then saved', async () => {
    const { root, backend } = await startWith((b) => {
      const { script } = seedScript(b);
      const text = b.handle('screenplay_fountain_text', { scriptId: script.scriptId }) as string;
      b.settings.set(`draft.script-${script.scriptId}`, { scriptId: script.scriptId, text: `${text}\nTyped before the crash.\n`, baseText: text, baseRevision: script.revision, updatedAt: '2026-12-01T13:05:00Z' });
    });
    const view = await openEditor(root);
    expect(q(root, 'editor-draft-offer').textContent).toMatch(/^Restore unsaved draft from \d\d:\d\d\? $/);
    expect(view.state.doc.toString()).not.toContain('Typed before the crash.');
    q(root, 'editor-draft-restore').click();
    expect(view.state.doc.toString()).toContain('Typed before the crash.');
    await waitFor(() => saved(root), 3000);
    expect(backend.texts.get(backend.scripts[0]!.scriptId)).toContain('Typed before the crash.');
    await waitFor(() => !backend.settings.has(`draft.script-${backend.scripts[0]!.scriptId}`), 2000);
  });

  it('declining a draft forgets it and leaves the stored text', async () => {
    const { root, backend } = await startWith((b) => {
      const { script } = seedScript(b);
      b.settings.set(`draft.script-${script.scriptId}`, { scriptId: script.scriptId, text: 'Lost cause.\n', baseText: '', baseRevision: 0, updatedAt: '2026-12-01T13:05:00Z' });
    });
    const view = await openEditor(root);
    q(root, 'editor-draft-discard').click();
    await waitFor(() => backend.callsOf('draft_clear').length === 1);
    expect(backend.settings.size === 0 || !backend.settings.has('draft.script-1')).toBe(true);
    expect(view.state.doc.toString()).not.toContain('Lost cause.');
  });

  it('a draft write that fails is tried again on the next change', async () => {
    const stored: string[] = [];
    let fail = true;
    const keeper = new DraftKeeper(
      async (t) => {
        if (fail) {
          fail = false;
          throw new Error('disk full');
        }
        stored.push(t);
      },
      async () => undefined,
      5,
    );
    keeper.change('a');
    await new Promise((r) => setTimeout(r, 20));
    keeper.change('ab');
    await new Promise((r) => setTimeout(r, 20));
    expect(stored).toEqual(['ab']);
  });
});
