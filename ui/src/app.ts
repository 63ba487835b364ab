// The app shell: sidebar navigation, toolbar (undo/redo, progress), error banner, the
// current view, keyboard shortcuts, and what is remembered across restarts.

import { api as defaultApi, onAppError, onBusyChange, onCloseRequested, onLinkedFile, onMenu, onOpenScript, onRoomChange, toApiError, type Access, type Api, type Json, type Progress, type RoomChange, type Script, type WatchEvent } from './api';
import { VIEWS, type AppContext, type NavigateOptions, type View, type ViewName } from './context';
import { button, confirmDialog, h, isTextEntry, replace, type ConfirmOptions } from './dom';
import { UndoStack, type Command } from './undo';
import { LiveTransport } from './transport';
import { restoreFromBackup } from './views/backups';
import { createLibraryView } from './views/library';
import { createScriptView } from './views/script';
import { createCharactersView } from './views/characters';
import { createSessionsView } from './views/sessions';
import { createStoryView } from './views/story';
import { createOrchestrationView } from './views/orchestration';
import { createReportsView } from './views/reports';
import { drafts } from './editor/drafts';
import { exportBundle, exportScript, isExportFormat, linkScript } from './views/transfer';
import { openLocalLibrary, openRoomDialog, roomStatus } from './views/room';

const LABELS: Record<ViewName, string> = {
  library: 'Library',
  script: 'Script',
  characters: 'Characters',
  sessions: 'Sessions & contexts',
  story: 'Story',
  orchestration: 'Orchestration',
  reports: 'Reports',
};

const ICONS: Record<ViewName, string> = {
  library: '\u25A4',
  script: '\u00B6',
  characters: '\u263A',
  sessions: '\u25D0',
  story: '\u2630',
  orchestration: '\u266B',
  reports: '\u2637',
};

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? '\u2318' : 'Ctrl+';

/** Each view's constructor, by the name the navigation uses. */
const VIEW_FACTORIES: Record<ViewName, (app: AppContext) => View> = {
  library: createLibraryView,
  script: createScriptView,
  characters: createCharactersView,
  sessions: createSessionsView,
  story: createStoryView,
  orchestration: createOrchestrationView,
  reports: createReportsView,
};

export class App implements AppContext {
  readonly undo: UndoStack;
  readonly live: LiveTransport;
  script: Script | null = null;
  sessionId: number | null = null;
  view: ViewName = 'library';
  selection: { headingId: number | null; characterId: number | null } = { headingId: null, characterId: null };
  /** The library open: a writers' room or the local file, and whether the writer may change it. */
  access: Access | null = null;

  private current: View | null = null;
  private renderToken = 0;
  /** A close was refused because a save failed; the next close request quits. */
  private closeRefused = false;
  private readonly host: HTMLElement;
  private readonly navButtons = new Map<ViewName, HTMLButtonElement>();
  private readonly titleEl: HTMLElement;
  private readonly scriptLabel: HTMLElement;
  private readonly roomEl: HTMLElement;
  private readonly errorBanner: HTMLElement;
  private readonly errorText: HTMLElement;
  private readonly statusEl: HTMLElement;
  private readonly busyEl: HTMLElement;
  private readonly progressEl: HTMLElement;
  private readonly undoBtn: HTMLButtonElement;
  private readonly redoBtn: HTMLButtonElement;
  private statusTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    readonly root: HTMLElement,
    readonly api: Api = defaultApi,
  ) {
    this.undo = new UndoStack(api);
    this.live = new LiveTransport(api, (err) => this.showError(err));

    const nav = h('nav', { class: 'nav', attrs: { 'aria-label': 'Views' } });
    VIEWS.forEach((view, i) => {
      const b = h(
        'button',
        {
          testid: `nav-${view}`,
          class: 'nav-item',
          attrs: { type: 'button', title: `${LABELS[view]} (${MOD}${i + 1})` },
          onClick: () => void this.navigate(view),
        },
        h('span', { class: 'nav-icon', attrs: { 'aria-hidden': 'true' } }, ICONS[view]),
        h('span', { class: 'nav-label' }, LABELS[view]),
        h('kbd', { class: 'nav-kbd', attrs: { 'aria-hidden': 'true' } }, `${MOD}${i + 1}`),
      );
      this.navButtons.set(view, b);
      nav.appendChild(b);
    });

    this.scriptLabel = h('div', { class: 'sidebar-script', testid: 'current-script' });
    this.roomEl = h('div', { class: 'sidebar-room-status', testid: 'room-status' });
    this.titleEl = h('h1', { class: 'view-title', testid: 'view-title' });
    this.busyEl = h(
      'div',
      { class: 'busy', testid: 'busy-indicator', attrs: { role: 'status', 'aria-live': 'polite', hidden: true } },
      h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
      'Working…',
    );
    this.progressEl = h('div', { class: 'progress', testid: 'progress', attrs: { role: 'status', 'aria-live': 'polite', hidden: true } });
    this.undoBtn = button('\u21B6 Undo', 'undo', () => void this.doUndo(), { kind: 'ghost', title: `Undo (${MOD}Z)` });
    this.redoBtn = button('Redo \u21B7', 'redo', () => void this.doRedo(), { kind: 'ghost', title: `Redo (${MOD}Shift+Z)` });
    this.errorText = h('span', { class: 'error-text', testid: 'error-message' });
    this.errorBanner = h(
      'div',
      { class: 'error-banner', testid: 'error-banner', attrs: { role: 'alert', hidden: true } },
      h('span', { class: 'error-icon', attrs: { 'aria-hidden': 'true' } }, '!'),
      this.errorText,
      button('Dismiss', 'error-dismiss', () => this.hideError(), { kind: 'small' }),
    );
    this.statusEl = h('div', { class: 'status', testid: 'status-message', attrs: { 'aria-live': 'polite' } });
    this.host = h('main', { class: 'view-host', testid: 'view-host', attrs: { tabindex: -1 } });

    replace(
      root,
      h(
        'div',
        { class: 'app' },
        h('aside', { class: 'sidebar' }, h('div', { class: 'brand' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }, '\u2766'), 'FountainAI Studio'), nav, this.scriptLabel, this.roomEl),
        h(
          'div',
          { class: 'main' },
          h('header', { class: 'toolbar' }, this.titleEl, h('div', { class: 'toolbar-spacer' }), this.busyEl, this.progressEl, this.statusEl, h('div', { class: 'undo-group', attrs: { role: 'group', 'aria-label': 'History' } }, this.undoBtn, this.redoBtn)),
          this.errorBanner,
          this.host,
        ),
      ),
    );

    this.cleanups.push(onBusyChange((busy) => this.setBusy(busy)));
    this.listen(this.api.onProgress((p) => this.showProgress(p)));
    this.listen(onOpenScript((scriptId) => void this.openScript(scriptId)));
    this.listen(onMenu((id) => void this.menu(id)));
    this.listen(onAppError((err) => this.showError(err)));
    this.listen(onLinkedFile((event) => void this.linkedFileChanged(event)));
    this.listen(onRoomChange((change) => void this.roomChanged(change)));
    this.listen(onCloseRequested(() => void this.closeRequested()));
    this.cleanups.push(this.undo.onChange(() => this.updateChrome()));
    void this.live.start();
    this.cleanups.push(() => this.live.dispose());
    const onKey = (ev: KeyboardEvent) => this.onKeyDown(ev);
    document.addEventListener('keydown', onKey);
    this.cleanups.push(() => document.removeEventListener('keydown', onKey));
    this.updateChrome();
  }

  /** Restores the last open script and view, or shows the library. */
  async start(): Promise<void> {
    let view: ViewName = 'library';
    await this.readAccess();
    try {
      const [lastScript, lastView] = await Promise.all([this.api.settingGet('lastScript'), this.api.settingGet('lastView')]);
      if (typeof lastScript === 'number') {
        try {
          await this.loadScript(lastScript);
          view = typeof lastView === 'string' && (VIEWS as string[]).includes(lastView) ? (lastView as ViewName) : 'script';
        } catch {
          // The script is gone: start in the library.
          this.script = null;
        }
      }
    } catch (err) {
      this.showError(err);
    }
    await this.navigate(view, {}, false);
    // Started with a screenplay file: import it and open it.
    const launched = await this.attempt(() => this.api.screenplayLaunchImport());
    if (launched) {
      await this.openScript(launched.scriptId);
      this.notify(`Imported ${launched.sections} scenes, ${launched.characters} characters, ${launched.elements} elements.`);
    }
    // After the next frame the first screen has been painted.
    requestAnimationFrame(() => void this.api.appReady().catch(() => undefined));
  }

  /**
   * The window's close button or File → Quit: saves what is unsaved, then closes. When a save
   * fails the window stays open and says so; asked again, it closes.
   */
  async closeRequested(): Promise<void> {
    // Text a closed editor could not save is unsaved too.
    const saved = (await this.flushView()) && drafts.size === 0;
    const quit = saved || this.closeRefused;
    this.closeRefused = !quit;
    if (!quit) this.showError({ code: 'io', message: 'Your last edits could not be saved, so the window stays open. Close it again to quit without them.' });
    await this.attempt(() => this.api.appClose(quit));
  }

  /** Saves what the current view holds unsaved; false when it could not. */
  private async flushView(): Promise<boolean> {
    try {
      return (await this.current?.flush?.()) ?? true;
    } catch {
      return false;
    }
  }

  /** Keeps an event subscription until the app is destroyed. */
  private listen(subscribed: Promise<() => void>): void {
    let stopped = false;
    let stop: (() => void) | null = null;
    subscribed.then(
      (unlisten) => (stopped ? unlisten() : (stop = unlisten)),
      () => undefined, // no event bridge (e.g. a test without events): nothing to listen to
    );
    this.cleanups.push(() => {
      stopped = true;
      stop?.();
    });
  }

  /**
   * The linked-file watcher changed the open script (an outside edit, a conflict): the view is
   * drawn again from the database; what the editor could not save stays a draft.
   */
  private async linkedFileChanged(event: WatchEvent): Promise<void> {
    this.notify(event.message);
    const changed = event.change === 'fromFile' || event.change === 'conflict';
    if (changed && this.script?.scriptId === event.scriptId) await this.navigate(this.view, {}, false);
  }

  /** Who the writer is in the library open (a room's reader sees scripts read-only). */
  private async readAccess(): Promise<void> {
    try {
      this.access = await this.api.roomAccess();
      const note = await this.api.roomNote();
      if (note) this.notify(note);
    } catch {
      this.access = null; // an older backend: the local library, writable
    }
    replace(
      this.roomEl,
      roomStatus(this.access, {
        openRoom: () => void this.menu('open-room'),
        openLocal: () => void this.menu('open-local'),
      }),
    );
  }

  /** Remembers a setting in the library open; a room's reader may not write there, so nothing is. */
  private async remember(key: string, value: Json): Promise<void> {
    if (!this.readOnly) await this.api.settingSet(key, value);
  }

  get readOnly(): boolean {
    return this.access?.mayWrite === false;
  }

  /**
   * The room announced a change: to the open script, its view is drawn again (the Fountain
   * editor keeps unsaved text and says so instead); any, while the Library shows.
   */
  async roomChanged(change: RoomChange): Promise<void> {
    // Each change to a script is announced twice: on its own channel with the revision, and on
    // the library's without (which is all the Library needs).
    const library = this.view === 'library';
    if (!library && (this.script?.scriptId !== change.scriptId || change.revision === null)) return;
    if (!library && this.current?.roomChanged) {
      await this.current.roomChanged(change);
      return;
    }
    if (isTextEntry(document.activeElement) && 'value' in document.activeElement && document.activeElement.value !== '') {
      this.notify('Another writer changed this script; it shows when you are done typing here.');
      return;
    }
    await this.refreshCurrent();
  }

  /** Items of the native menu that the web UI carries out. */
  private async menu(id: string): Promise<void> {
    if (id === 'new-script') {
      await this.navigate('library');
      this.current?.command?.('new-script');
    } else if (id === 'export-bundle') {
      await exportBundle(this, () => this.flushView());
    } else if (id === 'restore-backup') {
      await restoreFromBackup(this, () => this.flushView());
    } else if (id === 'open-room') {
      await openRoomDialog(this, this.access, () => this.flushView());
    } else if (id === 'open-local') {
      await openLocalLibrary(this, () => this.flushView());
    } else if (id === 'link-file') {
      if (await linkScript(this, () => this.flushView())) await this.navigate(this.view, {}, false);
    } else if (id.startsWith('export-')) {
      const format = id.slice('export-'.length);
      if (isExportFormat(format)) await exportScript(this, format, () => this.flushView());
    }
  }

  private showProgress(p: Progress): void {
    const finished = p.done >= p.total;
    this.progressEl.hidden = finished;
    this.progressEl.textContent = finished ? '' : `${p.task}: ${p.step} (${p.done}/${p.total})`;
    if (finished) this.notify(`${p.task}: ${p.step}`);
  }

  destroy(): void {
    this.current?.dispose?.();
    for (const c of this.cleanups) c();
  }

  // ---- AppContext ------------------------------------------------------------------------

  async openScript(scriptId: number, view: ViewName = 'script'): Promise<void> {
    try {
      await this.loadScript(scriptId);
      await this.remember('lastScript', scriptId);
    } catch (err) {
      this.showError(err);
      return;
    }
    await this.navigate(view);
  }

  async closeScript(): Promise<void> {
    this.script = null;
    this.sessionId = null;
    this.selection = { headingId: null, characterId: null };
    this.undo.clear();
    this.follow(null);
    await this.attempt(() => this.remember('lastScript', null));
    this.updateChrome();
  }

  private async loadScript(scriptId: number): Promise<void> {
    const script = await this.api.scriptGet(scriptId);
    if (this.script?.scriptId !== script.scriptId) {
      this.undo.clear();
      this.selection = { headingId: null, characterId: null };
    }
    this.script = script;
    this.follow(script.scriptId);
    this.sessionId = null;
    const sessions = await this.api.sessionList(scriptId);
    const remembered = await this.api.settingGet(`activeSession:${scriptId}`);
    const chosen = sessions.find((s) => s.sessionId === remembered) ?? sessions[0];
    this.sessionId = chosen?.sessionId ?? null;
    this.updateChrome();
  }

  /** Tells the room which script's changes to announce (not needed for a local library, harmless there). */
  private follow(scriptId: number | null): void {
    void this.api.roomFollow(scriptId).catch(() => undefined);
  }

  async setActiveSession(sessionId: number | null): Promise<void> {
    this.sessionId = sessionId;
    if (this.script) await this.attempt(() => this.remember(`activeSession:${this.script!.scriptId}`, sessionId));
    this.updateChrome();
  }

  async navigate(view: ViewName, options: NavigateOptions = {}, remember = true): Promise<void> {
    if (view !== 'library' && !this.script) {
      this.notify('Open a script first.');
      view = 'library';
    }
    if (options.headingId !== undefined) this.selection.headingId = options.headingId;
    if (options.characterId !== undefined) this.selection.characterId = options.characterId;
    if (this.script) {
      // Keep the title and date fresh (another view may have changed them).
      try {
        this.script = await this.api.scriptGet(this.script.scriptId);
      } catch {
        this.script = null;
        if (view !== 'library') view = 'library';
      }
    }
    this.view = view;
    if (remember) void this.attempt(() => this.remember('lastView', view));
    const token = ++this.renderToken;
    // The next view reads what the editor saves now; what cannot be saved stays a draft.
    await this.flushView();
    this.current?.dispose?.();
    const next = this.createView(view);
    this.current = next;
    replace(this.host, next.el);
    this.updateChrome();
    try {
      await next.refresh();
    } catch (err) {
      if (token === this.renderToken) this.showError(err);
    }
  }

  private createView(view: ViewName): View {
    return VIEW_FACTORIES[view](this);
  }

  showError(err: unknown): void {
    const e = toApiError(err);
    this.errorText.textContent = e.message;
    this.errorBanner.dataset['code'] = e.code;
    this.errorBanner.hidden = false;
  }

  hideError(): void {
    this.errorBanner.hidden = true;
    this.errorText.textContent = '';
  }

  notify(message: string): void {
    this.statusEl.textContent = message;
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.statusTimer = setTimeout(() => {
      this.statusEl.textContent = '';
    }, 4000);
  }

  confirm(options: ConfirmOptions): Promise<boolean> {
    return confirmDialog(options);
  }

  async edit<T>(command: Command<T>): Promise<T | undefined> {
    try {
      const result = await this.undo.execute(command);
      this.hideError();
      return result;
    } catch (err) {
      this.showError(err);
      return undefined;
    }
  }

  async tryEdit(command: Command<unknown>): Promise<boolean> {
    try {
      await this.undo.execute(command);
      this.hideError();
      return true;
    } catch (err) {
      this.showError(err);
      return false;
    }
  }

  async attempt<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (err) {
      this.showError(err);
      return undefined;
    }
  }

  // ---- undo / redo ---------------------------------------------------------------------

  async doUndo(): Promise<void> {
    await this.stepHistory(() => this.undo.undo(), 'Undone');
  }

  async doRedo(): Promise<void> {
    await this.stepHistory(() => this.undo.redo(), 'Redone');
  }

  private async stepHistory(step: () => Promise<{ label: string } | null>, done: string): Promise<void> {
    // The editor's unsaved text goes in first, so it cannot later overwrite what is undone.
    await this.flushView();
    try {
      const command = await step();
      if (command) this.notify(`${done}: ${command.label}`);
    } catch (err) {
      this.showError(err);
    }
    await this.refreshCurrent();
  }

  async refreshCurrent(): Promise<void> {
    try {
      await this.current?.refresh();
    } catch (err) {
      this.showError(err);
    }
  }

  // ---- chrome --------------------------------------------------------------------------

  private setBusy(busy: boolean): void {
    this.busyEl.hidden = !busy;
    this.host.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  private updateChrome(): void {
    for (const [view, b] of this.navButtons) {
      const active = view === this.view;
      b.classList.toggle('active', active);
      if (active) b.setAttribute('aria-current', 'page');
      else b.removeAttribute('aria-current');
      const needsScript = view !== 'library' && !this.script;
      b.setAttribute('aria-disabled', needsScript ? 'true' : 'false');
    }
    this.titleEl.textContent = this.view === 'library' || !this.script ? LABELS[this.view] : `${LABELS[this.view]} \u2014 ${this.script.title}`;
    replace(
      this.scriptLabel,
      this.script
        ? [h('span', { class: 'sidebar-caption' }, 'Open script'), h('span', { class: 'sidebar-script-title', testid: 'current-script-title' }, this.script.title)]
        : h('span', { class: 'sidebar-caption' }, 'No script open'),
    );
    this.undoBtn.disabled = !this.undo.canUndo;
    this.redoBtn.disabled = !this.undo.canRedo;
    this.undoBtn.title = this.undo.undoLabel ? `Undo ${this.undo.undoLabel} (${MOD}Z)` : `Undo (${MOD}Z)`;
    this.redoBtn.title = this.undo.redoLabel ? `Redo ${this.undo.redoLabel} (${MOD}Shift+Z)` : `Redo (${MOD}Shift+Z)`;
  }

  private onKeyDown(ev: KeyboardEvent): void {
    // The script editor handles its own keys (undo in the text, completion).
    if (ev.defaultPrevented) return;
    const mod = ev.ctrlKey || ev.metaKey;
    if (!mod || ev.altKey) return;
    if (/^[1-6]$/.test(ev.key) || /^Digit[1-6]$/.test(ev.code)) {
      const n = Number(ev.key.match(/^[1-6]$/) ? ev.key : ev.code.slice(5));
      const view = VIEWS[n - 1];
      if (view) {
        ev.preventDefault();
        void this.navigate(view);
      }
      return;
    }
    const key = ev.key.toLowerCase();
    const isUndo = key === 'z' && !ev.shiftKey;
    const isRedo = (key === 'z' && ev.shiftKey) || (key === 'y' && !ev.shiftKey);
    if (!isUndo && !isRedo) return;
    // In a text field with text in it, leave Ctrl+Z to the field itself.
    if (isTextEntry(ev.target) && (!('value' in ev.target) || ev.target.value !== '')) return;
    ev.preventDefault();
    void (isUndo ? this.doUndo() : this.doRedo());
  }
}

export async function startApp(root: HTMLElement, api: Api = defaultApi): Promise<App> {
  const app = new App(root, api);
  await app.start();
  return app;
}
