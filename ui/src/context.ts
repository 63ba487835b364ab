// What every view gets from the app shell.

import type { Api, RoomChange, Script } from './api';
import type { ConfirmOptions } from './dom';
import type { UndoStack } from './undo';
import type { LiveTransport } from './transport';

export type ViewName = 'library' | 'script' | 'characters' | 'sessions' | 'story' | 'orchestration' | 'reports';
export const VIEWS: ViewName[] = ['library', 'script', 'characters', 'sessions', 'story', 'orchestration', 'reports'];

export interface NavigateOptions {
  /** Select this scene in the Script view. */
  headingId?: number;
  /** Select this character in the Characters view. */
  characterId?: number;
}

export interface AppContext {
  readonly api: Api;
  readonly undo: UndoStack;
  /** The live transport: what plays and where (one for the app). */
  readonly live: LiveTransport;
  /** The open script, if any. */
  readonly script: Script | null;
  /** The active session of the open script, if any. */
  readonly sessionId: number | null;
  /** A writers' room's reader: the script is shown without editing controls. */
  readonly readOnly: boolean;
  openScript(scriptId: number, view?: ViewName): Promise<void>;
  closeScript(): Promise<void>;
  navigate(view: ViewName, options?: NavigateOptions): Promise<void>;
  setActiveSession(sessionId: number | null): Promise<void>;
  /** Shows an error (an ApiError's message) in the banner. */
  showError(err: unknown): void;
  /** Shows a short confirmation in the status line. */
  notify(message: string): void;
  confirm(options: ConfirmOptions): Promise<boolean>;
  /** Runs an edit through the undo stack, showing any error; undefined when it failed. */
  edit<T>(command: import('./undo').Command<T>): Promise<T | undefined>;
  /** Runs an edit through the undo stack, showing any error; true when it succeeded. */
  tryEdit(command: import('./undo').Command<unknown>): Promise<boolean>;
  /** Runs a non-undoable action, showing any error; undefined when it failed. */
  attempt<T>(action: () => Promise<T>): Promise<T | undefined>;
  /** The scene (Script view) or character (Characters view) selected last. */
  selection: { headingId: number | null; characterId: number | null };
}

export interface View {
  readonly el: HTMLElement;
  /** Reloads data and renders again (after undo/redo or an outside change). */
  refresh(): Promise<void>;
  /** Saves what the view holds unsaved (the editor's last keystrokes); false when it could not. */
  flush?(): Promise<boolean>;
  /** Called when the view goes away. */
  dispose?(): void;
  /**
   * Another writer changed the open script (the room's `room-change`); without this the app
   * draws the view again. The Fountain editor keeps unsaved text and says so instead.
   */
  roomChanged?(change: RoomChange): Promise<void>;
  /** A menu command for this view (e.g. 'new-script' in the Library). */
  command?(name: string): void;
}

/** The trimmed text of a field that must not be empty; when it is, the app says `message` and
 * the cursor goes back into the field. */
export function requiredText(app: AppContext, input: HTMLInputElement, message: string): string | null {
  const text = input.value.trim();
  if (text) return text;
  app.showError({ code: 'invalid_input', message });
  input.focus();
  return null;
}

/** The fields whose trimmed edited text differs from the current text: what they were and what
 * they become, as an undoable update wants them. */
export function changedFields<K extends string>(current: Record<K, string>, edited: Record<K, string>): { before: Partial<Record<K, string>>; after: Partial<Record<K, string>> } {
  const before: Partial<Record<K, string>> = {};
  const after: Partial<Record<K, string>> = {};
  for (const key of Object.keys(edited) as K[]) {
    const text = edited[key].trim();
    if (text !== current[key]) {
      before[key] = current[key];
      after[key] = text;
    }
  }
  return { before, after };
}
