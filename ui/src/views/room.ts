// The writers' room in the UI: File → Open Writers' Room… (address, user, password; the app
// keeps the password only in the OS keyring and starts again on the room), the sidebar's note
// of the room open and of a reader's read-only access.

import type { Access } from '../api';
import { toApiError } from '../api';
import type { AppContext } from '../context';
import { button, h } from '../dom';

export const READ_ONLY_NOTICE = 'read-only: you are a reader in this room';

/** "Room story on db.example.org as alice", or null for the local library. */
export function roomLabel(access: Access): string | null {
  if (!access.room) return null;
  try {
    const url = new URL(access.room);
    return `Room ${url.pathname.replace(/^\/+|\/+$/g, '')} on ${url.hostname} as ${access.user ?? ''}`.trim();
  } catch {
    return `Room ${access.room}`;
  }
}

/** What the sidebar's room lines can start: the same as File → Open Writers' Room… and Open Local Library. */
export interface RoomActions {
  openRoom: () => void;
  openLocal: () => void;
}

/**
 * The sidebar's lines about the library open: the room and, for a reader, the read-only
 * notice; a way into a room from the local library and back out of one (the File menu's
 * items, where a writer looking at the sidebar finds them too).
 */
export function roomStatus(access: Access | null, actions: RoomActions): HTMLElement[] {
  const label = access ? roomLabel(access) : null;
  if (!access || !label) {
    return [button('Open Writers\u2019 Room\u2026', 'room-open-dialog', () => actions.openRoom(), { kind: 'small', title: 'Open a script library that several writers share on a PostgreSQL server' })];
  }
  const lines = [h('span', { class: 'sidebar-room', testid: 'room-badge' }, label)];
  if (!access.mayWrite) lines.push(h('span', { class: 'read-only-notice', testid: 'read-only-notice', attrs: { role: 'status' } }, READ_ONLY_NOTICE));
  lines.push(button('Open Local Library', 'room-open-local', () => actions.openLocal(), { kind: 'small', title: 'Leave the room for the library on this computer' }));
  return lines;
}

/**
 * Asks for the room's address, user and password and opens it (the app starts again on it).
 * `flush` saves the open view first. Resolves false when the writer cancelled.
 */
export function openRoomDialog(app: AppContext, current: Access | null, flush: () => Promise<boolean>): Promise<boolean> {
  return new Promise((resolve) => {
    const known = current?.room ? new URL(current.room) : null;
    const shownUrl = known ? `${known.protocol}//${known.host}${known.pathname}${known.search}` : '';
    const field = (label: string, input: HTMLInputElement) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), input);
    const url = h('input', { class: 'input', testid: 'room-url', attrs: { type: 'text', placeholder: 'postgres://host/database', spellcheck: 'false' }, props: { value: shownUrl } });
    const user = h('input', { class: 'input', testid: 'room-user', attrs: { type: 'text', autocomplete: 'username', spellcheck: 'false' }, props: { value: decodeURIComponent(known?.username ?? '') } });
    const password = h('input', { class: 'input', testid: 'room-password', attrs: { type: 'password', autocomplete: 'current-password' } });
    const problem = h('p', { class: 'dialog-error', testid: 'room-error', attrs: { role: 'alert' } });
    const close = (opened: boolean) => {
      overlay.remove();
      document.removeEventListener('keydown', onKey, true);
      resolve(opened);
    };
    const open = button('Open Room', 'room-open', () => void submit(), { kind: 'primary' });
    const cancel = button('Cancel', 'room-cancel', () => close(false));
    async function submit(): Promise<void> {
      problem.textContent = '';
      if (!url.value.trim()) {
        problem.textContent = 'Give the room\u2019s address, postgres://host/database.';
        url.focus();
        return;
      }
      open.disabled = true;
      if (!(await flush())) {
        open.disabled = false;
        problem.textContent = 'Your last edits could not be saved yet, so the room was not opened.';
        return;
      }
      try {
        await app.api.roomOpen(url.value.trim(), user.value.trim(), password.value === '' ? null : password.value);
        close(true);
      } catch (err) {
        open.disabled = false;
        problem.textContent = toApiError(err).message;
      }
    }
    const form = h(
      'form',
      { class: 'dialog', testid: 'room-dialog', attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-label': "Open writers' room" } },
      h('h2', { class: 'dialog-title' }, 'Open Writers\u2019 Room'),
      h('p', { class: 'dialog-message' }, 'A script library on a PostgreSQL server that several writers open at once. The password is kept only in your system\u2019s keyring.'),
      field('Server', url),
      field('User', user),
      field('Password', password),
      problem,
      h('div', { class: 'dialog-actions' }, cancel, open),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void submit();
    });
    const overlay = h('div', { class: 'overlay' }, form);
    const onKey = (ev: KeyboardEvent) => {
      if (ev.key === 'Escape') {
        ev.preventDefault();
        ev.stopPropagation();
        close(false);
      } else if (ev.key === 'Enter' && !ev.isComposing) {
        ev.preventDefault();
        ev.stopPropagation();
        void submit();
      } else if (ev.ctrlKey || ev.metaKey) {
        // No app shortcuts while a dialog is open.
        ev.stopPropagation();
      }
    };
    document.addEventListener('keydown', onKey, true);
    document.body.appendChild(overlay);
    url.focus();
  });
}

/** File → Open Local Library: saves the open view, then the app starts again on the local library. */
export async function openLocalLibrary(app: AppContext, flush: () => Promise<boolean>): Promise<void> {
  if (!(await flush())) {
    app.showError({ code: 'io', message: 'Your last edits could not be saved yet, so the local library was not opened.' });
    return;
  }
  await app.attempt(() => app.api.roomOpenLocal());
}
