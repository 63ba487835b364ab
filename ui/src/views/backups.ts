// File → Restore From Backup…: the library's backups with their dates and script counts; the
// chosen one replaces the library after the current one is saved as a backup.

import type { Backup } from '../api';
import type { AppContext } from '../context';
import { button, formatDateTime, h } from '../dom';

const scripts = (n: number | null | undefined) => (n === 1 ? '1 script' : `${n ?? 0} scripts`);

/** One backup as the list shows it: its date and what it holds (or why it cannot be read). */
export function describeBackup(b: Backup): string {
  return `${formatDateTime(b.createdAt)} \u2014 ${b.problem ? `cannot be read (${b.problem})` : scripts(b.scripts)}`;
}

/** Shows the backups; resolves with the one chosen, or null when the writer closed the list. */
export function pickBackup(backups: Backup[]): Promise<Backup | null> {
  return new Promise((resolve) => {
    const close = (chosen: Backup | null) => {
      overlay.remove();
      document.removeEventListener('keydown', onKey, true);
      resolve(chosen);
    };
    const items = backups.map((b, i) =>
      h(
        'li',
        { class: 'backup-item', testid: 'backup-item' },
        button(describeBackup(b), 'backup-choose', () => close(b), { kind: 'ghost', disabled: Boolean(b.problem), data: { index: i } }),
      ),
    );
    const list = items.length ? h('ul', { class: 'backup-list', testid: 'backup-list' }, ...items) : h('p', { class: 'dialog-message', testid: 'backup-empty' }, 'There are no backups yet. One is made when the app starts and every ten minutes while you write.');
    const cancel = button('Cancel', 'backup-cancel', () => close(null));
    const dialog = h(
      'div',
      { class: 'dialog', testid: 'backup-dialog', attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Restore from backup' } },
      h('h2', { class: 'dialog-title' }, 'Restore From Backup'),
      h('p', { class: 'dialog-message' }, 'Newest first. Restoring replaces the whole library; the library as it is now is saved as a backup first.'),
      list,
      h('div', { class: 'dialog-actions' }, cancel),
    );
    const overlay = h('div', { class: 'overlay' }, dialog);
    const onKey = (ev: KeyboardEvent) => {
      if (ev.key === 'Escape') {
        ev.preventDefault();
        close(null);
      }
      ev.stopPropagation();
    };
    document.addEventListener('keydown', onKey, true);
    document.body.appendChild(overlay);
    cancel.focus();
  });
}

/** The menu item: pick a backup, confirm, restore, and show the library as restored. */
export async function restoreFromBackup(app: AppContext, save: () => Promise<boolean> = async () => true): Promise<void> {
  const backups = await app.attempt(() => app.api.backupList());
  if (!backups) return;
  const chosen = await pickBackup(backups);
  if (!chosen) return;
  const ok = await app.confirm({
    title: 'Restore the library?',
    message: `The library becomes the backup from ${describeBackup(chosen)}. The library as it is now is saved as a backup first, so this can be undone by restoring that one.`,
    confirmLabel: 'Restore',
    danger: true,
  });
  if (!ok) return;
  // What the editor holds unsaved goes into the backup made first.
  await app.attempt(save);
  const restored = await app.attempt(() => app.api.backupRestore(chosen.path));
  if (!restored) return;
  await app.closeScript();
  await app.navigate('library');
  app.notify(`Restored the backup from ${formatDateTime(restored.restored.createdAt)} (${scripts(restored.restored.scripts)}). The library as it was is saved as the backup from ${formatDateTime(restored.savedFirst.createdAt)}.`);
}
