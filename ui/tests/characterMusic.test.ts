import { describe, expect, it } from 'vitest';
import { formatLeitmotif, GM_PROGRAMS, parseLeitmotif, programLabel } from '../src/music';
import { change, q, seedScript, settle, startWith, type } from './helpers';

describe('a character\u2019s instrument and leitmotif', () => {
  it('picks a General MIDI instrument by name and sets a leitmotif; one undo step reverts both', async () => {
    const { root, backend, app } = await startWith((b) => void seedScript(b, 'characters'));
    const picker = q<HTMLSelectElement>(root, 'character-instrument');
    expect(picker.value).toBe('');
    expect(picker.options).toHaveLength(129);
    expect(picker.options[74]!.textContent).toBe('74 Flute');
    change(picker, '73');
    type(q(root, 'character-leitmotif'), '0:1, 2:1,4:2');
    q(root, 'character-save').click();
    await settle();
    expect(backend.callsOf('character_update').at(-1)!['update']).toEqual({ instrument: 73, leitmotif: [{ degree: 0, length: 1 }, { degree: 2, length: 1 }, { degree: 4, length: 2 }] });
    expect(q<HTMLSelectElement>(root, 'character-instrument').value).toBe('73');
    expect(q<HTMLInputElement>(root, 'character-leitmotif').value).toBe('0:1, 2:1, 4:2');
    await app.doUndo();
    await settle();
    expect(backend.characters[0]).toMatchObject({ instrument: null, leitmotif: null });
    expect(q<HTMLSelectElement>(root, 'character-instrument').value).toBe('');
    expect(q<HTMLInputElement>(root, 'character-leitmotif').value).toBe('');
  });

  it('explains a malformed leitmotif and saves nothing', async () => {
    const { root, backend } = await startWith((b) => void seedScript(b, 'characters'));
    type(q(root, 'character-leitmotif'), '0:1, la');
    q(root, 'character-save').click();
    await settle();
    expect(q(root, 'error-message').textContent).toBe('A leitmotif note is DEGREE:LENGTH (e.g. 2:1), not \u201Cla\u201D.');
    expect(backend.callsOf('character_update')).toHaveLength(0);
  });

  it('shows the core\u2019s message for a leitmotif out of range', async () => {
    const { root } = await startWith((b) => void seedScript(b, 'characters'));
    type(q(root, 'character-leitmotif'), '0:1, 30:1');
    q(root, 'character-save').click();
    await settle();
    expect(q(root, 'error-message').textContent).toBe('leitmotif degree 30 is outside -7..=14');
  });

  it('restores instrument and leitmotif when deleting the character is undone', async () => {
    const { root, backend, app } = await startWith((b) => {
      seedScript(b, 'characters');
      Object.assign(b.characters[1]!, { instrument: 40, leitmotif: [{ degree: 7, length: 4 }] });
    });
    q(root, 'character-item', '[data-character-id="2"]').click();
    await settle();
    q(root, 'character-delete').click();
    await settle();
    q(document, 'confirm-ok').click();
    await settle();
    await app.doUndo();
    await settle();
    expect(backend.characters.find((c) => c.name === 'ROMEO')).toMatchObject({ instrument: 40, leitmotif: [{ degree: 7, length: 4 }] });
  });

  it('reads and writes the DEGREE:LENGTH text', () => {
    expect(parseLeitmotif('  ')).toBeNull();
    expect(parseLeitmotif('-7:16')).toEqual([{ degree: -7, length: 16 }]);
    expect(() => parseLeitmotif('1-2')).toThrow('DEGREE:LENGTH');
    expect(formatLeitmotif(null)).toBe('');
    expect(formatLeitmotif([{ degree: 0, length: 1 }, { degree: -2, length: 3 }])).toBe('0:1, -2:3');
    expect(GM_PROGRAMS).toHaveLength(128);
    expect(programLabel(0)).toBe('1 Acoustic Grand Piano');
  });
});
