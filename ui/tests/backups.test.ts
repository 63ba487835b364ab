import { emit } from '@tauri-apps/api/event';
import { describe, expect, it } from 'vitest';
import { q, qa, settle, startWith, waitFor } from './helpers';
import type { FakeBackend } from './fakeBackend';

/** A library whose backups hold one script (older) and two (newer); three scripts now. */
function library(b: FakeBackend) {
  b.addScript('Balcony', 'W. S.');
  b.backUp('2026-11-30T09:00:00.000Z');
  b.addScript('Tomb', 'W. S.');
  b.backUp('2026-12-01T10:00:00.000Z');
  b.addScript('Written after', 'W. S.');
}

const titles = (root: HTMLElement) => qa(root, 'script-item-title').map((t) => t.textContent);

describe('File → Restore From Backup…', () => {
  it('lists the backups newest first with their dates and script counts', async () => {
    await startWith(library);
    await emit('menu', 'restore-backup');
    await waitFor(() => document.querySelector('[data-testid="backup-dialog"]'));
    const items = qa(document.body, 'backup-choose').map((b) => b.textContent ?? '');
    expect(items).toHaveLength(2);
    expect(items[0]).toContain('2 scripts');
    expect(items[0]).toContain('2026');
    expect(items[1]).toContain('1 script');
    expect(items[1]).not.toContain('1 scripts');
  });

  it('restores the chosen backup after confirming, and the library shows it', async () => {
    const { root, backend } = await startWith(library);
    expect(titles(root)).toEqual(['Balcony', 'Tomb', 'Written after']);
    await emit('menu', 'restore-backup');
    await waitFor(() => document.querySelector('[data-testid="backup-dialog"]'));
    qa(document.body, 'backup-choose')[1]!.click();
    await settle();
    expect(q(document.body, 'confirm-message').textContent).toContain('saved as a backup first');
    q(document.body, 'confirm-ok').click();
    await waitFor(() => backend.callsOf('backup_restore').length === 1);
    expect(backend.callsOf('backup_restore')).toEqual([{ path: '/data/backups/studio-1.sqlite3' }]);
    await waitFor(() => titles(root).length === 1);
    expect(titles(root)).toEqual(['Balcony']);
    expect(q(root, 'status-message').textContent).toContain('1 script');
    // The library as it was is now the newest backup, with its three scripts.
    expect(backend.backups[0]!.scripts).toBe(3);
  });

  it('changes nothing when the writer cancels the list or the confirmation', async () => {
    const { root, backend } = await startWith(library);
    await emit('menu', 'restore-backup');
    await waitFor(() => document.querySelector('[data-testid="backup-dialog"]'));
    q(document.body, 'backup-cancel').click();
    await settle();
    expect(document.querySelector('[data-testid="backup-dialog"]')).toBeNull();
    await emit('menu', 'restore-backup');
    await waitFor(() => document.querySelector('[data-testid="backup-dialog"]'));
    qa(document.body, 'backup-choose')[0]!.click();
    await settle();
    q(document.body, 'confirm-cancel').click();
    await settle();
    expect(backend.callsOf('backup_restore')).toHaveLength(0);
    expect(titles(root)).toEqual(['Balcony', 'Tomb', 'Written after']);
  });

  it('says there are no backups yet when there are none', async () => {
    await startWith((b) => b.addScript('Balcony', 'W. S.'));
    await emit('menu', 'restore-backup');
    await waitFor(() => document.querySelector('[data-testid="backup-empty"]'));
    expect(q(document.body, 'backup-empty').textContent).toContain('no backups yet');
  });
});
