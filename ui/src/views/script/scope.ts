// What the parts of the Script view share: the loaded scenes, what is selected or open, and
// the few elements of the page they all reach into.

import type { Character, Element, ElementKind, SectionHeading } from '../../api';
import type { AppContext } from '../../context';

export type ComposerKind = 'action' | 'dialogue' | 'transition';
/** The character select's value that stands for "a new character". */
export const NEW_CHARACTER = '__new__';

export const KIND_LABEL: Record<ElementKind, string> = {
  action: 'Action',
  dialogue: 'Dialogue',
  transition: 'Transition',
  lyrics: 'Lyrics',
  centered: 'Centered',
  note: 'Note',
  synopsis: 'Synopsis',
  page_break: 'Page break',
  section: 'Section',
  boneyard: 'Boneyard',
};

/** A scene being dragged: where the pointer went down, and whether it has moved far enough. */
export interface Drag {
  from: number;
  x: number;
  y: number;
  moving: boolean;
}

export interface ScriptState {
  sections: SectionHeading[];
  elements: Element[];
  characters: Character[];
  selected: number | null;
  renaming: number | null;
  editing: number | null;
  /** What the writer typed into an element whose save failed: shown again, never dropped. */
  unsaved?: { elementId: number; text: string; parenthetical?: string; characterId?: number } | null;
  composer: ComposerKind | null;
  composerCharacter: string;
  drag: Drag | null;
  /** A selector to focus after the next render. */
  focusAfter: string | null;
}

export interface ScriptScope {
  readonly app: AppContext;
  readonly state: ScriptState;
  readonly sceneList: HTMLElement;
  readonly addInput: HTMLInputElement;
  readonly page: HTMLElement;
  scriptId(): number;
  render(): void;
  refresh(): Promise<void>;
}

export function sceneSelector(id: number): string {
  return `[data-testid="scene-item"][data-heading-id="${id}"]`;
}

export function elementSelector(id: number): string {
  return `[data-testid="element"][data-element-id="${id}"]`;
}

export function characterName(state: ScriptState, id: number | null): string {
  if (id === null) return '';
  return state.characters.find((c) => c.characterId === id)?.name ?? `#${id}`;
}

/** What the keys do on a focused row of a list (a scene, an element). */
export interface RowKeys {
  /** Alt+arrow: the row moves one place up (-1) or down (1). */
  move: (step: -1 | 1) => void;
  /** An arrow alone: the focus goes to the row above or below. */
  focus: (step: -1 | 1) => void;
  /** Other keys by their `key` name. */
  keys: Record<string, () => void>;
}

/** Handles a key pressed on a row itself (not on a control inside it). */
export function onRowKey(ev: KeyboardEvent, row: RowKeys): void {
  if (ev.target !== ev.currentTarget) return;
  const step = arrowStep(ev);
  const action = step === null && Object.prototype.hasOwnProperty.call(row.keys, ev.key) ? row.keys[ev.key] : undefined;
  if (step !== null) {
    ev.preventDefault();
    if (ev.altKey) row.move(step);
    else row.focus(step);
  } else if (action) {
    ev.preventDefault();
    action();
  }
}

/** -1 for ArrowUp, 1 for ArrowDown, null for any other key. */
export function arrowStep(ev: KeyboardEvent): -1 | 1 | null {
  if (ev.key === 'ArrowUp') return -1;
  if (ev.key === 'ArrowDown') return 1;
  return null;
}

/** The core's title for the section holding what comes before the first heading
 * (`screenplay::scenes::UNTITLED`): not a heading, the script's opening. */
export const OPENING_TITLE = '(before the first scene)';

export function isOpening(section: { title: string }): boolean {
  return section.title.toLowerCase() === OPENING_TITLE;
}
