// A structured edit that fails to save keeps what was typed on screen, in the open editor.

import { describe, expect, it } from 'vitest';
import { key, q, qa, seedScript, settle, startWith } from './helpers';
import { BackendError, type FakeBackend } from './fakeBackend';

let seeded: ReturnType<typeof seedScript>;
const seed = (b: FakeBackend) => {
  seeded = seedScript(b);
};

describe('a structured edit that fails', () => {
  it('keeps the typed text in the open editor, and the next Enter saves it', async () => {
    const { root, backend } = await startWith(seed);
    qa(root, 'element-text')[0]!.click();
    const input = q<HTMLTextAreaElement>(root, 'element-edit-input');
    input.value = 'Bright moonlight.';
    backend.failures.set('element_update', new BackendError('database', 'database is locked'));
    key(input, 'Enter');
    await settle();
    expect(backend.element(seeded.a1.elementId).text).toBe('Moonlight.');
    expect(q(root, 'error-message').textContent).toContain('database is locked');
    const again = q<HTMLTextAreaElement>(root, 'element-edit-input');
    expect(again.value).toBe('Bright moonlight.');
    key(again, 'Enter');
    await settle();
    expect(backend.element(seeded.a1.elementId).text).toBe('Bright moonlight.');
    expect(root.querySelector('[data-testid="element-edit-input"]')).toBeNull();
  });
});
