import { EditorView as CodeMirrorView, type EditorView } from '@codemirror/view';
import { afterEach } from 'vitest';
import { App } from '../src/app';
import { drafts } from '../src/editor/drafts';
import { FakeBackend } from './fakeBackend';

let current: { app: App; backend: FakeBackend; root: HTMLElement } | null = null;

afterEach(() => {
  current?.app.destroy();
  current?.backend.uninstall();
  current?.root.remove();
  document.querySelectorAll('.overlay').forEach((o) => o.remove());
  drafts.clear();
  current = null;
});

/** A fresh fake backend behind mockIPC, seeded by `seed`, and the app started on it. */
export async function startWith(seed: (b: FakeBackend) => void = () => {}): Promise<{ app: App; backend: FakeBackend; root: HTMLElement }> {
  const backend = new FakeBackend().install();
  seed(backend);
  const root = document.createElement('div');
  document.body.appendChild(root);
  const app = new App(root);
  current = { app, backend, root };
  await app.start();
  await settle();
  return current;
}

/** Lets pending promises and zero-delay timers run. */
export async function settle(rounds = 8): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}

export async function waitFor<T>(fn: () => T | null | undefined | false, timeout = 2000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > timeout) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function q<T extends HTMLElement = HTMLElement>(root: ParentNode, testid: string, extra = ''): T {
  const el = root.querySelector<T>(`[data-testid="${testid}"]${extra}`);
  if (!el) throw new Error(`no element with data-testid=${testid}${extra}`);
  return el;
}

export function qa<T extends HTMLElement = HTMLElement>(root: ParentNode, testid: string): T[] {
  return [...root.querySelectorAll<T>(`[data-testid="${testid}"]`)];
}

export function key(target: EventTarget, k: string, init: KeyboardEventInit = {}): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init }));
}

export function type(input: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

export function change(input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Opens a form with the `open` button, enters each value in order (a select is changed, a
 * text field typed into) and sends the form with the `submit` button. */
export async function fillForm(root: ParentNode, open: string, values: [testid: string, value: string][], submit: string): Promise<void> {
  q(root, open).click();
  for (const [testid, value] of values) {
    const input = q<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(root, testid);
    if (input instanceof HTMLSelectElement) change(input, value);
    else type(input, value);
  }
  q(root, submit).click();
  await settle();
}

/** Seeds one script with a scene, two characters and a few elements; opens it in `view`. */
export function seedScript(b: FakeBackend, view = 'script') {
  const script = b.addScript('Balcony', 'W. S.');
  const s1 = b.addSection(script.scriptId, 'EXT. ORCHARD - NIGHT');
  const s2 = b.addSection(script.scriptId, 'INT. TOMB - NIGHT');
  const juliet = b.addCharacter(script.scriptId, 'JULIET', 'A Capulet');
  const romeo = b.addCharacter(script.scriptId, 'ROMEO', 'A Montague');
  const a1 = b.addElement(s1.headingId, { kind: 'action', text: 'Moonlight.' });
  const d1 = b.addElement(s1.headingId, { kind: 'dialogue', text: 'O Romeo, Romeo!', characterId: juliet.characterId });
  const t1 = b.addElement(s1.headingId, { kind: 'transition', text: 'CUT TO:' });
  b.settings.set('lastScript', script.scriptId);
  b.settings.set('lastView', view);
  return { script, s1, s2, juliet, romeo, a1, d1, t1 };
}

/** The CodeMirror view of the open script editor. */
export function editorView(root: HTMLElement): EditorView {
  const view = CodeMirrorView.findFromDOM(q(root, 'editor').querySelector<HTMLElement>('.cm-editor')!);
  if (!view) throw new Error('no editor');
  return view;
}

/** Switches the Script view to the editor and waits for it. */
export async function openEditor(root: HTMLElement): Promise<EditorView> {
  q(root, 'script-mode-editor').click();
  return waitFor(() => root.querySelector('[data-testid="editor"] .cm-editor') && editorView(root));
}
