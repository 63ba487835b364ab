import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { classifyLines, cueName, inlineMarks } from '../src/editor/fountain';
import { cueNames, locations, suggest, TIMES_OF_DAY } from '../src/editor/complete';
import { Autosave, AUTOSAVE_DELAY_MS, RETRY_MS, type SaveState } from '../src/editor/autosave';
import { sceneIndexAt, scenesOf } from '../src/editor/scenes';

const SCRIPT = `Title: The Long Night
Author: A. Writer

# Act One

= Maya decides.

INT. DINER - NIGHT

Rain lashes the *windows*.

MAYA (V.O.)
(quietly)
We should leave.

RAY ^
Not without **the letter**.

CUT TO:

.ROOF #1A#

>THE END<

[[a note
over two lines]]

/* cut:
old scene */

~la la la

===

@McCLANE
Yippee.

EXT. HIGHWAY - DAWN

> SMASH CUT TO:
`;

describe('highlighting: classifyLines', () => {
  const lines = SCRIPT.split('\n');
  const kinds = classifyLines(SCRIPT);
  const kindOf = (text: string) => kinds[lines.indexOf(text)];

  it('tells every Fountain element apart', () => {
    expect(kindOf('Title: The Long Night')).toBe('title_page');
    expect(kindOf('Author: A. Writer')).toBe('title_page');
    expect(kindOf('# Act One')).toBe('section');
    expect(kindOf('= Maya decides.')).toBe('synopsis');
    expect(kindOf('INT. DINER - NIGHT')).toBe('scene_heading');
    expect(kindOf('Rain lashes the *windows*.')).toBe('action');
    expect(kindOf('MAYA (V.O.)')).toBe('character');
    expect(kindOf('(quietly)')).toBe('parenthetical');
    expect(kindOf('We should leave.')).toBe('dialogue');
    expect(kindOf('RAY ^')).toBe('character');
    expect(kindOf('CUT TO:')).toBe('transition');
    expect(kindOf('.ROOF #1A#')).toBe('scene_heading');
    expect(kindOf('>THE END<')).toBe('centered');
    expect(kindOf('[[a note')).toBe('note');
    expect(kindOf('over two lines]]')).toBe('note');
    expect(kindOf('/* cut:')).toBe('boneyard');
    expect(kindOf('old scene */')).toBe('boneyard');
    expect(kindOf('~la la la')).toBe('lyrics');
    expect(kindOf('===')).toBe('page_break');
    expect(kindOf('@McCLANE')).toBe('character');
    expect(kindOf('Yippee.')).toBe('dialogue');
    expect(kindOf('> SMASH CUT TO:')).toBe('transition');
    expect(kindOf('')).toBe('blank');
  });

  it('needs blank lines around headings and a line after a cue', () => {
    expect(classifyLines('int. house - day\nstill action')).toEqual(['action', 'action']);
    // All caps before a non-blank line is a cue, even when it looks like a heading.
    expect(classifyLines('INT. HOUSE - DAY\nHello.')).toEqual(['character', 'dialogue']);
    expect(classifyLines('\nMAYA\n\nmore')).toEqual(['blank', 'action', 'blank', 'action']);
    expect(classifyLines('int. house - day\n\nBOB\nHi.\n  \nStill Bob.')).toEqual(['scene_heading', 'blank', 'character', 'dialogue', 'dialogue', 'dialogue']);
  });

  it('forces a heading with a dot only before a letter or digit, as the parser does', () => {
    expect(classifyLines('.SNIPER SCOPE POV')).toEqual(['scene_heading']);
    expect(classifyLines('.2ND FLOOR')).toEqual(['scene_heading']);
    expect(classifyLines('. NOT A HEADING')).toEqual(['action']);
    expect(classifyLines('...and then')).toEqual(['action']);
  });

  it('handles CRLF and odd input without throwing', () => {
    expect(classifyLines('EXT. SEA - DAY\r\n\r\nWaves.\r\n')).toEqual(['scene_heading', 'blank', 'action', 'blank']);
    for (const odd of ['', '\u0000', '/*', '[[', '@', '.', '>', '((((', '\uFEFFTitle:']) expect(() => classifyLines(odd)).not.toThrow();
  });

  it('marks emphasis, inline notes and boneyard, not escaped ones', () => {
    const kinds = (line: string) => inlineMarks(line).map((m) => [m.kind, line.slice(m.from, m.to)]);
    expect(kinds('a *b* **c** _d_ [[e]] /* f */')).toEqual([
      ['italic', '*b*'],
      ['bold', '**c**'],
      ['underline', '_d_'],
      ['note', '[[e]]'],
      ['boneyard', '/* f */'],
    ]);
    expect(kinds('\\*not\\* 2 * 3 * 4')).toEqual([]);
  });

  it('names cues without extensions', () => {
    expect(cueName('MAYA (V.O.)')).toBe('MAYA');
    expect(cueName('@McCLANE ^')).toBe('McCLANE');
  });
});

describe('autocomplete candidates', () => {
  const kinds = classifyLines(SCRIPT);
  const names = cueNames(SCRIPT, kinds);
  const places = locations(SCRIPT, kinds);

  it('collects cue names and locations from the text', () => {
    expect(names).toEqual(['MAYA', 'RAY', 'MCCLANE']);
    expect(places).toEqual(['DINER', 'ROOF', 'HIGHWAY']);
  });

  it('offers character names and scene prefixes on a new upper-case line', () => {
    expect(suggest('MA', 2, true, names, places)).toEqual({ from: 0, options: ['MAYA'] });
    expect(suggest('E', 1, true, names, places)).toEqual({ from: 0, options: ['EXT. ', 'EST. '] });
    expect(suggest('I', 1, true, names, places)).toEqual({ from: 0, options: ['INT. ', 'INT./EXT. '] });
    expect(suggest('@Ra', 3, true, names, places)).toEqual({ from: 1, options: ['RAY'] });
  });

  it('offers nothing in action text, mid-paragraph or mid-line', () => {
    expect(suggest('Ma', 2, true, names, places)).toBeNull();
    expect(suggest('MA', 2, false, names, places)).toBeNull();
    expect(suggest('MAYA', 2, true, names, places)).toBeNull();
    expect(suggest('MAYA', 4, true, names, places)).toBeNull();
  });

  it('offers known locations after a prefix and times of day after the dash', () => {
    expect(suggest('INT. ', 5, true, names, places)).toEqual({ from: 5, options: ['DINER', 'ROOF', 'HIGHWAY'] });
    expect(suggest('EXT. HI', 7, true, names, places)).toEqual({ from: 5, options: ['HIGHWAY'] });
    expect(suggest('INT. DINER - N', 14, true, names, places)).toEqual({ from: 13, options: ['NIGHT'] });
    expect(suggest('EXT. ROOF - ', 12, true, names, places)?.options).toEqual(TIMES_OF_DAY);
    expect(suggest('.ro', 3, true, names, places)).toEqual({ from: 1, options: ['ROOF'] });
  });
});

describe('navigator follows the cursor', () => {
  const kinds = classifyLines(SCRIPT);
  const scenes = scenesOf(SCRIPT, kinds);
  const lineOf = (text: string) => SCRIPT.split('\n').indexOf(text);

  it('lists the headings with their lines', () => {
    expect(scenes.map((s) => s.title)).toEqual(['INT. DINER - NIGHT', 'ROOF', 'EXT. HIGHWAY - DAWN']);
    expect(scenes[0]!.line).toBe(lineOf('INT. DINER - NIGHT'));
  });

  it('maps a line to the scene it is in', () => {
    expect(sceneIndexAt(scenes, 0)).toBe(-1);
    expect(sceneIndexAt(scenes, lineOf('INT. DINER - NIGHT'))).toBe(0);
    expect(sceneIndexAt(scenes, lineOf('We should leave.'))).toBe(0);
    expect(sceneIndexAt(scenes, lineOf('>THE END<'))).toBe(1);
    expect(sceneIndexAt(scenes, lineOf('> SMASH CUT TO:'))).toBe(2);
    expect(sceneIndexAt([], 10)).toBe(-1);
  });
});

describe('autosave', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function saver(initial = 'a') {
    const saved: string[] = [];
    const states: SaveState[] = [];
    let fail = false;
    let release: (() => void) | null = null;
    let hold = false;
    const a = new Autosave(initial, async (text) => {
      if (hold) await new Promise<void>((r) => (release = r));
      if (fail) throw { code: 'io', message: 'disk full' };
      saved.push(text);
    });
    a.onState((s) => states.push(s));
    return {
      a,
      saved,
      states,
      fail: (v: boolean) => (fail = v),
      hold: (v: boolean) => (hold = v),
      release: () => release?.(),
    };
  }

  /** A saver in the middle of saving 'ab', held there until `release`. */
  async function savingAb(): Promise<ReturnType<typeof saver>> {
    const t = saver();
    t.hold(true);
    t.a.change('ab');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    return t;
  }

  it('saves once, within a second of the last keystroke', async () => {
    const t = saver();
    t.a.change('ab');
    await vi.advanceTimersByTimeAsync(300);
    t.a.change('abc');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS - 1);
    expect(t.saved).toEqual([]);
    expect(t.a.current).toBe('dirty');
    await vi.advanceTimersByTimeAsync(1);
    expect(t.saved).toEqual(['abc']);
    expect(t.a.current).toBe('saved');
    expect(t.states).toEqual(['dirty', 'dirty', 'saving', 'saved']);
    expect(AUTOSAVE_DELAY_MS).toBeLessThan(1000);
  });

  it('typing back to the saved text needs no save', async () => {
    const t = saver();
    t.a.change('ab');
    t.a.change('a');
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.saved).toEqual([]);
    expect(t.a.current).toBe('saved');
  });

  it('runs one save at a time and saves text typed during a save afterwards', async () => {
    const t = await savingAb();
    expect(t.a.current).toBe('saving');
    t.hold(false);
    t.a.change('abc');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    t.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.saved).toEqual(['ab']);
    expect(t.a.current).toBe('dirty');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(t.saved).toEqual(['ab', 'abc']);
    expect(t.a.current).toBe('saved');
  });

  it('keeps the text on an error and retries, on the next change or by itself', async () => {
    const t = saver();
    const errors: unknown[] = [];
    t.a.onState((s, e) => s === 'error' && errors.push(e));
    t.fail(true);
    t.a.change('ab');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(t.a.current).toBe('error');
    expect(errors).toEqual([{ code: 'io', message: 'disk full' }]);
    expect(t.a.latest).toBe('ab');
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(t.a.current).toBe('error');
    t.fail(false);
    t.a.change('abc');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(t.saved).toEqual(['abc']);
    expect(t.a.current).toBe('saved');
  });

  it('flush saves at once', async () => {
    const t = saver();
    t.a.change('xyz');
    await t.a.flush();
    expect(t.saved).toEqual(['xyz']);
    expect(t.a.current).toBe('saved');
  });

  it('a flush during a save saves the newer text once, not again later', async () => {
    const t = await savingAb();
    t.a.change('abc');
    t.hold(false);
    const flushed = t.a.flush();
    t.release();
    await flushed;
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(t.saved).toEqual(['ab', 'abc']);
  });
});
