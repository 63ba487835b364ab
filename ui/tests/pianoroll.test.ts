import { describe, expect, it } from 'vitest';
import type { Cue, Note, Score } from '../src/api';
import {
  clampScroll,
  cueBoundaries,
  DEFAULT_RANGE,
  drawRoll,
  fitZoom,
  formatTime,
  GUTTER,
  HEADER,
  keyName,
  noteRect,
  pitchName,
  pitchRange,
  pitchToY,
  rowHeight,
  tickToX,
  trackColour,
  viewForRange,
  xToTick,
  zoomAt,
  type RollView,
} from '../src/pianoroll';

const view: RollView = { pxPerTick: 0.1, scrollTick: 0, width: 1044, height: 322 };
const note = (onset: number, pitch: number, length = 480, track = 0): Note => ({ onset, length, track, channel: track, pitch, velocity: 100 });
const cue = (name: string, startTick: number, endTick: number, heading = 'INT. ROOM - DAY'): Cue => ({
  name,
  sectionId: 1,
  heading,
  mood: '',
  mode: 'ionian',
  tonic: 0,
  bpm: 120,
  startTick,
  endTick,
  startSeconds: startTick / 960,
  endSeconds: endTick / 960,
});

describe('piano roll geometry', () => {
  it('maps ticks to x after the pitch gutter, following zoom and scroll', () => {
    expect(tickToX(0, view)).toBe(GUTTER);
    expect(tickToX(4800, view)).toBe(GUTTER + 480);
    const scrolled = { ...view, scrollTick: 4800 };
    expect(tickToX(4800, scrolled)).toBe(GUTTER);
    expect(tickToX(0, scrolled)).toBe(GUTTER - 480);
    const zoomed = { ...view, pxPerTick: 0.2 };
    expect(tickToX(4800, zoomed)).toBe(GUTTER + 960);
    expect(xToTick(tickToX(1234, scrolled), scrolled)).toBeCloseTo(1234);
  });

  it('puts high pitches at the top, each pitch in its own row below the cue names', () => {
    const range = { low: 60, high: 75 }; // 16 rows over 300 px
    expect(rowHeight(range, view)).toBe(300 / 16);
    expect(pitchToY(75, range, view)).toBe(HEADER);
    expect(pitchToY(60, range, view) + rowHeight(range, view)).toBeCloseTo(view.height);
    expect(pitchToY(72, range, view)).toBeLessThan(pitchToY(60, range, view));
    expect(pitchToY(61, range, view) - pitchToY(62, range, view)).toBeCloseTo(rowHeight(range, view));
  });

  it('fits the pitch range to the notes with a semitone of air, or a default', () => {
    expect(pitchRange([note(0, 60), note(0, 72), note(480, 55)])).toEqual({ low: 54, high: 73 });
    expect(pitchRange([note(0, 0), note(0, 127)])).toEqual({ low: 0, high: 127 });
    expect(pitchRange([])).toEqual(DEFAULT_RANGE);
  });

  it('draws a note as a rectangle at its onset and pitch, at least a pixel wide', () => {
    const range = { low: 60, high: 75 };
    const r = noteRect(note(960, 72, 480), range, view);
    expect(r).toEqual({ x: GUTTER + 96, y: pitchToY(72, range, view), w: 48, h: rowHeight(range, view) });
    const zoomedOut = { ...view, pxPerTick: 0.0001 };
    expect(noteRect(note(0, 72, 10), range, zoomedOut).w).toBe(1);
  });

  it('puts cue boundaries at the cues\u2019 start ticks', () => {
    const cues = [cue('1M1', 0, 9600), cue('1M2', 9600, 19200)];
    expect(cueBoundaries(cues, view)).toEqual([
      { name: '1M1', tick: 0, x: GUTTER },
      { name: '1M2', tick: 9600, x: GUTTER + 960 },
    ]);
    expect(cueBoundaries(cues, { ...view, scrollTick: 9600 }).map((b) => b.x)).toEqual([GUTTER - 960, GUTTER]);
  });

  it('fits the whole score to the width and keeps scrolling within it', () => {
    const px = fitZoom(100_000, view.width);
    expect(tickToX(100_000, { ...view, pxPerTick: px })).toBeCloseTo(view.width);
    // 10 000 ticks visible at 0.1 px/tick; a 25 000-tick score scrolls to 15 000 at most.
    expect(clampScroll(20_000, 25_000, view)).toBe(15_000);
    expect(clampScroll(-5, 25_000, view)).toBe(0);
    expect(clampScroll(3_000, 8_000, view)).toBe(0);
  });

  it('zooms around the pointer: the tick under it stays put', () => {
    const start = { ...view, scrollTick: 2000 };
    const anchorX = 500;
    const before = xToTick(anchorX, start);
    const zoomed = zoomAt(start, 2, anchorX, 1_000_000);
    expect(zoomed.pxPerTick).toBe(0.2);
    expect(xToTick(anchorX, zoomed)).toBeCloseTo(before);
  });

  it('shows one cue across the whole width', () => {
    const v = viewForRange(view, 9600, 19200, 40_000);
    expect(tickToX(9600, v)).toBeCloseTo(GUTTER);
    expect(tickToX(19200, v)).toBeCloseTo(view.width);
  });

  it('names pitches, keys and times the way musicians read them', () => {
    expect(pitchName(60)).toBe('C4');
    expect(pitchName(69)).toBe('A4');
    expect(pitchName(21)).toBe('A0');
    expect(keyName(2, 'dorian')).toBe('D dorian');
    expect(keyName(9, 'aeolian')).toBe('A minor');
    expect(keyName(7, 'ionian')).toBe('G major');
    expect(formatTime(0)).toBe('0:00.0');
    expect(formatTime(65.25)).toBe('1:05.3');
    expect(formatTime(Number.NaN)).toBe('0:00.0');
  });

  it('gives each of the first tracks its own colour', () => {
    const colours = Array.from({ length: 8 }, (_, i) => trackColour(i));
    expect(new Set(colours).size).toBe(8);
  });
});

describe('piano roll drawing', () => {
  /** A 2D context that records what was drawn. */
  function recorder() {
    const texts: string[] = [];
    const rects: { x: number; y: number; w: number; h: number; fill: string }[] = [];
    const ctx = {
      fillStyle: '',
      font: '',
      textBaseline: '',
      globalAlpha: 1,
      fillRect(x: number, y: number, w: number, h: number) {
        rects.push({ x, y, w, h, fill: String(this.fillStyle) });
      },
      fillText(t: string) {
        texts.push(t);
      },
      save() {},
      restore() {},
      beginPath() {},
      rect() {},
      clip() {},
    };
    return { ctx: ctx as unknown as CanvasRenderingContext2D, texts, rects };
  }

  const score: Score = {
    title: '',
    ppq: 480,
    tempoMap: [{ tick: 0, microsPerQuarter: 500000 }],
    timeSignature: [4, 4],
    tracks: [
      { name: 'Underscore', characterId: null, program: 48, channel: 0, family: 'strings' },
      { name: 'JULIET', characterId: 1, program: 73, channel: 1, family: 'woodwinds' },
    ],
    notes: [note(0, 60, 960, 0), note(480, 72, 480, 1), note(50_000, 64, 480, 0)],
    markers: [],
    cues: [cue('1M1', 0, 9600, '<img src=x onerror=alert(1)>'), cue('1M2', 9600, 60_000)],
    lines: [],
  };

  it('writes cue names and octave names as text and paints visible notes in their track colour', () => {
    const { ctx, texts, rects } = recorder();
    drawRoll(ctx, view, pitchRange(score.notes), score);
    expect(texts).toEqual(expect.arrayContaining(['C4', 'C5', '1M1', '1M2']));
    expect(texts.some((t) => t.includes('<'))).toBe(false);
    const notes = rects.filter((r) => r.fill === trackColour(0) || r.fill === trackColour(1));
    // The note at tick 50 000 is off screen (10 000 ticks visible).
    expect(notes).toHaveLength(2);
    expect(notes[1]).toMatchObject({ x: GUTTER + 48, w: 48, fill: trackColour(1) });
  });
});
