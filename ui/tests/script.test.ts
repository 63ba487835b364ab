import { describe, expect, it } from 'vitest';
import { dropped, moved, SCRIPT_EMPTY } from '../src/views/script';
import { fillForm, key, q, qa, seedScript, settle, startWith, type } from './helpers';
import type { FakeBackend } from './fakeBackend';

let seeded: ReturnType<typeof seedScript>;
const seed = (b: FakeBackend) => {
  seeded = seedScript(b);
};
const titles = (root: HTMLElement) => qa(root, 'scene-title').map((t) => t.textContent);

describe('order helpers', () => {
  it('moves and drops ids', () => {
    expect(moved([1, 2, 3], 3, -1)).toEqual([1, 3, 2]);
    expect(moved([1, 2, 3], 1, -1)).toBeNull();
    expect(dropped([1, 2, 3], 1, 3)).toEqual([2, 3, 1]);
    expect(dropped([1, 2, 3], 3, 1)).toEqual([3, 1, 2]);
    expect(dropped([1, 2, 3], 2, 2)).toBeNull();
  });
});

describe('script view: scenes', () => {
  it('shows the empty state for a script without scenes and adds the first scene', async () => {
    const { root, backend } = await startWith((b) => {
      const s = b.addScript('Empty');
      b.settings.set('lastScript', s.scriptId);
      b.settings.set('lastView', 'script');
    });
    expect(q(root, 'script-empty').textContent).toBe(SCRIPT_EMPTY);
    type(q(root, 'scene-add-input'), 'INT. KITCHEN - DAY');
    key(q(root, 'scene-add-input'), 'Enter');
    q(root, 'scene-add').click();
    await settle();
    expect(backend.callsOf('section_add')).toEqual([{ scriptId: backend.scripts[0]!.scriptId, title: 'INT. KITCHEN - DAY' }]);
    expect(titles(root)).toEqual(['INT. KITCHEN - DAY']);
    expect(q(root, 'scene-empty')).toBeTruthy();
  });

  it('lists scenes in order and selects one by click or Enter', async () => {
    const { root } = await startWith(seed);
    expect(titles(root)).toEqual(['EXT. ORCHARD - NIGHT', 'INT. TOMB - NIGHT']);
    expect(qa(root, 'element')).toHaveLength(3);
    const second = qa(root, 'scene-item')[1]!;
    key(second, 'Enter');
    await settle();
    expect(qa(root, 'scene-item')[1]!.getAttribute('aria-current')).toBe('true');
    expect(q(root, 'scene-empty')).toBeTruthy();
    qa(root, 'scene-item')[0]!.click();
    await settle();
    expect(qa(root, 'element')).toHaveLength(3);
  });

  it('reorders with Alt+Arrow keys through section_reorder with the full order', async () => {
    const { root, backend } = await startWith(seed);
    key(qa(root, 'scene-item')[0]!, 'ArrowDown', { altKey: true });
    await settle();
    expect(backend.callsOf('section_reorder')).toEqual([{ scriptId: seeded.script.scriptId, order: [seeded.s2.headingId, seeded.s1.headingId] }]);
    expect(titles(root)).toEqual(['INT. TOMB - NIGHT', 'EXT. ORCHARD - NIGHT']);
    // Focus stays on the moved scene, so pressing again keeps moving it.
    expect((document.activeElement as HTMLElement).dataset['headingId']).toBe(String(seeded.s1.headingId));
    key(document.activeElement!, 'ArrowUp', { altKey: true });
    await settle();
    expect(titles(root)).toEqual(['EXT. ORCHARD - NIGHT', 'INT. TOMB - NIGHT']);
  });

  it('reorders by dragging a scene onto another with the pointer', async () => {
    const { root, backend } = await startWith(seed);
    const [first, second] = qa(root, 'scene-item');
    const pointer = (type: string, x: number, y: number) =>
      new MouseEvent(type, { bubbles: true, clientX: x, clientY: y, button: 0 });
    const elementFromPoint = document.elementFromPoint;
    document.elementFromPoint = () => q(second!, 'scene-title');
    try {
      first!.dispatchEvent(pointer('pointerdown', 10, 10));
      document.dispatchEvent(pointer('pointermove', 10, 40));
      expect(second!.classList.contains('drop-after')).toBe(true);
      document.dispatchEvent(pointer('pointerup', 10, 40));
    } finally {
      document.elementFromPoint = elementFromPoint;
    }
    await settle();
    expect(backend.callsOf('section_reorder').at(-1)).toEqual({ scriptId: seeded.script.scriptId, order: [seeded.s2.headingId, seeded.s1.headingId] });
    expect(titles(root)).toEqual(['INT. TOMB - NIGHT', 'EXT. ORCHARD - NIGHT']);
  });

  it('a click without movement selects instead of dragging', async () => {
    const { root, backend } = await startWith(seed);
    const [first] = qa(root, 'scene-item');
    first!.dispatchEvent(new MouseEvent('pointerdown', { bubbles: true, clientX: 5, clientY: 5, button: 0 }));
    document.dispatchEvent(new MouseEvent('pointerup', { bubbles: true, clientX: 6, clientY: 5, button: 0 }));
    await settle();
    expect(backend.callsOf('section_reorder')).toHaveLength(0);
  });

  it('renames inline (Enter saves, Escape cancels)', async () => {
    const { root, backend } = await startWith(seed);
    q(qa(root, 'scene-item')[0]!, 'scene-rename').click();
    const input = q<HTMLInputElement>(root, 'scene-rename-input');
    expect(document.activeElement).toBe(input);
    input.value = 'EXT. BALCONY - NIGHT';
    key(input, 'Escape');
    await settle();
    expect(titles(root)[0]).toBe('EXT. ORCHARD - NIGHT');
    key(qa(root, 'scene-item')[0]!, 'F2');
    const again = q<HTMLInputElement>(root, 'scene-rename-input');
    again.value = 'EXT. BALCONY - NIGHT';
    key(again, 'Enter');
    await settle();
    expect(backend.section(seeded.s1.headingId).title).toBe('EXT. BALCONY - NIGHT');
    expect(titles(root)[0]).toBe('EXT. BALCONY - NIGHT');
  });

  it('deletes a scene after confirmation, and undo brings it back', async () => {
    const { root, backend, app } = await startWith(seed);
    q(qa(root, 'scene-item')[0]!, 'scene-delete').click();
    await settle();
    expect(q(document, 'confirm-message').textContent).toContain('EXT. ORCHARD - NIGHT');
    q(document, 'confirm-ok').click();
    await settle();
    expect(titles(root)).toEqual(['INT. TOMB - NIGHT']);
    expect(backend.elements).toHaveLength(0);
    await app.doUndo();
    expect(titles(root)).toEqual(['EXT. ORCHARD - NIGHT', 'INT. TOMB - NIGHT']);
    expect(qa(root, 'element-text').map((e) => e.textContent)).toEqual(['Moonlight.', 'O Romeo, Romeo!', 'CUT TO:']);
  });
});

describe('script view: elements', () => {
  it('formats a screenplay page', async () => {
    const { root } = await startWith(seed);
    const [action, dialogue, transition] = qa(root, 'element');
    expect(action!.dataset['kind']).toBe('action');
    expect(q(dialogue!, 'element-character').textContent).toBe('JULIET');
    expect(q(dialogue!, 'element-character').className).toContain('el-character');
    expect(q(transition!, 'element-text').className).toContain('el-transition');
    expect(q(root, 'scene-heading').textContent).toContain('EXT. ORCHARD - NIGHT');
  });

  it('adds action, dialogue with parenthetical, and transition', async () => {
    const { root, backend } = await startWith(seed);
    q(root, 'element-add-action').click();
    type(q(root, 'element-new-text'), 'She leans on the rail.');
    key(q(root, 'element-new-text'), 'Enter');
    await settle();
    const line: [string, string][] = [
      ['element-new-character', String(seeded.romeo.characterId)],
      ['element-new-parenthetical', 'aside'],
      ['element-new-text', 'Shall I hear more?'],
    ];
    await fillForm(root, 'element-add-dialogue', line, 'element-new-submit');
    await fillForm(root, 'element-add-transition', [['element-new-text', 'FADE OUT.']], 'element-new-submit');
    expect(backend.callsOf('element_add').map((a) => a['element'])).toEqual([
      { kind: 'action', text: 'She leans on the rail.', characterId: null, parenthetical: null, position: null },
      { kind: 'dialogue', text: 'Shall I hear more?', characterId: seeded.romeo.characterId, parenthetical: 'aside', position: null },
      { kind: 'transition', text: 'FADE OUT.', characterId: null, parenthetical: null, position: null },
    ]);
    expect(qa(root, 'element')).toHaveLength(6);
    expect(qa(root, 'element-parenthetical').map((p) => p.textContent)).toEqual(['(aside)']);
  });

  it('adds dialogue for a new character from the composer', async () => {
    const { root, backend } = await startWith(seed);
    const line: [string, string][] = [
      ['element-new-character', '__new__'],
      ['element-new-character-name', 'NURSE'],
      ['element-new-text', 'Madam!'],
    ];
    await fillForm(root, 'element-add-dialogue', line, 'element-new-submit');
    const nurse = backend.characters.find((c) => c.name === 'NURSE')!;
    expect(backend.elements.at(-1)).toMatchObject({ text: 'Madam!', characterId: nurse.characterId });
  });

  it('edits inline: Enter saves, Escape cancels, blur saves', async () => {
    const { root, backend } = await startWith(seed);
    qa(root, 'element-text')[0]!.click();
    let input = q<HTMLTextAreaElement>(root, 'element-edit-input');
    expect(document.activeElement).toBe(input);
    input.value = 'Bright moonlight.';
    key(input, 'Escape');
    await settle();
    expect(backend.element(seeded.a1.elementId).text).toBe('Moonlight.');
    key(qa(root, 'element')[0]!, 'Enter');
    input = q<HTMLTextAreaElement>(root, 'element-edit-input');
    input.value = 'Bright moonlight.';
    key(input, 'Enter');
    await settle();
    expect(backend.element(seeded.a1.elementId).text).toBe('Bright moonlight.');
    expect(qa(root, 'element-text')[0]!.textContent).toBe('Bright moonlight.');
    // Blur saves too (dialogue with its parenthetical).
    q(qa(root, 'element')[1]!, 'element-edit').click();
    q<HTMLInputElement>(root, 'element-edit-parenthetical').value = 'whispering';
    q<HTMLTextAreaElement>(root, 'element-edit-input').dispatchEvent(new FocusEvent('focusout', { bubbles: true, relatedTarget: null }));
    await settle();
    expect(backend.element(seeded.d1.elementId).parenthetical).toBe('whispering');
  });

  it('moves elements up and down with element_move and a position', async () => {
    const { root, backend } = await startWith(seed);
    q(qa(root, 'element')[0]!, 'element-move-down').click();
    await settle();
    expect(backend.callsOf('element_move')).toEqual([{ elementId: seeded.a1.elementId, to: { position: 2 } }]);
    expect(qa(root, 'element-text').map((e) => e.textContent)).toEqual(['O Romeo, Romeo!', 'Moonlight.', 'CUT TO:']);
    key(qa(root, 'element')[1]!, 'ArrowUp', { altKey: true });
    await settle();
    expect(qa(root, 'element-text').map((e) => e.textContent)).toEqual(['Moonlight.', 'O Romeo, Romeo!', 'CUT TO:']);
  });

  it('deletes an element and undo restores it in place', async () => {
    const { root, app } = await startWith(seed);
    q(qa(root, 'element')[1]!, 'element-delete').click();
    await settle();
    expect(qa(root, 'element')).toHaveLength(2);
    await app.doUndo();
    expect(qa(root, 'element-text').map((e) => e.textContent)).toEqual(['Moonlight.', 'O Romeo, Romeo!', 'CUT TO:']);
    expect(q(qa(root, 'element')[1]!, 'element-character').textContent).toBe('JULIET');
  });

  it('shows a backend refusal in the banner', async () => {
    const { root } = await startWith(seed);
    qa(root, 'element-text')[0]!.click();
    const input = q<HTMLTextAreaElement>(root, 'element-edit-input');
    input.value = '   ';
    key(input, 'Enter');
    await settle();
    expect(q(root, 'error-banner').textContent).toContain('must not be empty');
  });
});
