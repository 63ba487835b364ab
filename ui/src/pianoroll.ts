// The piano roll: the whole score on a <canvas>, time left to right (zoom and scroll), pitch
// bottom to top, one colour per track, cue boundaries with their names. The geometry is pure
// functions so it can be tested without a canvas; text is drawn with fillText only.

import type { Cue, Mode, Note, Score, Track } from './api';
import { h, replace } from './dom';
import { GM_PROGRAMS } from './music';

/** Pixels left of the time axis, for pitch names. */
export const GUTTER = 44;
/** Pixels above the notes, for cue names. */
export const HEADER = 22;
/** Pitches shown when the score has no notes. */
export const DEFAULT_RANGE: PitchRange = { low: 48, high: 84 };
/** Zoom limits in pixels per tick (PPQ 480: 1 px per 4 beats .. 1 px per 2 ticks). */
export const MIN_PX_PER_TICK = 1 / 1920;
export const MAX_PX_PER_TICK = 0.5;

export interface RollView {
  /** Zoom: pixels per tick. */
  pxPerTick: number;
  /** The tick at the left edge of the time axis. */
  scrollTick: number;
  width: number;
  height: number;
}
export interface PitchRange {
  low: number;
  high: number;
}
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function tickToX(tick: number, view: RollView): number {
  return GUTTER + (tick - view.scrollTick) * view.pxPerTick;
}

export function xToTick(x: number, view: RollView): number {
  return view.scrollTick + (x - GUTTER) / view.pxPerTick;
}

/** The notes' pitches with a semitone of air above and below. */
export function pitchRange(notes: readonly Note[]): PitchRange {
  if (notes.length === 0) return { ...DEFAULT_RANGE };
  let low = 127;
  let high = 0;
  for (const n of notes) {
    low = Math.min(low, n.pitch);
    high = Math.max(high, n.pitch);
  }
  return { low: Math.max(0, low - 1), high: Math.min(127, high + 1) };
}

export function rowHeight(range: PitchRange, view: RollView): number {
  return (view.height - HEADER) / (range.high - range.low + 1);
}

/** The top of the pitch's row: high pitches at the top. */
export function pitchToY(pitch: number, range: PitchRange, view: RollView): number {
  return HEADER + (range.high - pitch) * rowHeight(range, view);
}

/** A note's rectangle; at least one pixel wide so short notes stay visible when zoomed out. */
export function noteRect(note: Note, range: PitchRange, view: RollView): Rect {
  return {
    x: tickToX(note.onset, view),
    y: pitchToY(note.pitch, range, view),
    w: Math.max(1, note.length * view.pxPerTick),
    h: Math.max(1, rowHeight(range, view)),
  };
}

export interface CueBoundary {
  name: string;
  tick: number;
  x: number;
}

/** Where each cue starts on the canvas, in score order. */
export function cueBoundaries(cues: readonly Cue[], view: RollView): CueBoundary[] {
  return cues.map((c) => ({ name: c.name, tick: c.startTick, x: tickToX(c.startTick, view) }));
}

/** The tick after the last note or cue ends. */
export function endTick(score: Pick<Score, 'notes' | 'cues'>): number {
  let end = 0;
  for (const n of score.notes) end = Math.max(end, n.onset + n.length);
  for (const c of score.cues) end = Math.max(end, c.endTick);
  return end;
}

export function clampZoom(pxPerTick: number): number {
  return Math.min(MAX_PX_PER_TICK, Math.max(MIN_PX_PER_TICK, pxPerTick));
}

/** The zoom that shows the whole score in the view's width. */
export function fitZoom(end: number, width: number): number {
  return clampZoom((width - GUTTER) / Math.max(1, end));
}

/** Scroll positions stay between the start and the point where the end meets the right edge. */
export function clampScroll(tick: number, end: number, view: RollView): number {
  const visible = (view.width - GUTTER) / view.pxPerTick;
  return Math.max(0, Math.min(tick, Math.max(0, end - visible)));
}

/** Zooms by `factor` keeping the tick under `anchorX` in place. */
export function zoomAt(view: RollView, factor: number, anchorX: number, end: number): RollView {
  const anchor = xToTick(anchorX, view);
  const pxPerTick = clampZoom(view.pxPerTick * factor);
  const next = { ...view, pxPerTick };
  next.scrollTick = clampScroll(anchor - (anchorX - GUTTER) / pxPerTick, end, next);
  return next;
}

/** The view that shows ticks `start`..`end` across the whole width. */
export function viewForRange(view: RollView, start: number, end: number, scoreEnd: number): RollView {
  const next = { ...view, pxPerTick: clampZoom((view.width - GUTTER) / Math.max(1, end - start)) };
  next.scrollTick = clampScroll(start, scoreEnd, next);
  return next;
}

// Colour-blind-friendly (Okabe–Ito) first, then a few more; repeats after that.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#8a6d00', '#6a3d9a', '#b15928', '#1f78b4', '#33a02c', '#e31a1c'];

export function trackColour(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}

const PITCH_CLASSES = ['C', 'C\u266F', 'D', 'E\u266D', 'E', 'F', 'F\u266F', 'G', 'A\u266D', 'A', 'B\u266D', 'B'];

/** MIDI 60 = C4. */
export function pitchName(pitch: number): string {
  return `${PITCH_CLASSES[((pitch % 12) + 12) % 12]}${Math.floor(pitch / 12) - 1}`;
}

export function isBlackKey(pitch: number): boolean {
  return [1, 3, 6, 8, 10].includes(((pitch % 12) + 12) % 12);
}

/** "D dorian", "A minor", "C major". */
export function keyName(tonic: number, mode: Mode): string {
  const name = mode === 'ionian' ? 'major' : mode === 'aeolian' ? 'minor' : mode;
  return `${PITCH_CLASSES[((tonic % 12) + 12) % 12]} ${name}`;
}

/** m:ss.s */
export function formatTime(seconds: number): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const m = Math.floor(safe / 60);
  const s = safe - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}

// ---- the widget ---------------------------------------------------------------------------

const HEIGHT = 320;
const FALLBACK_WIDTH = 900;

export class PianoRoll {
  readonly el: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly scrollBar: HTMLInputElement;
  private readonly legend: HTMLElement;
  private score: Score | null = null;
  private range: PitchRange = { ...DEFAULT_RANGE };
  private end = 0;
  /** Showing the whole score: a resize or a new score fits it again. */
  private fitted = false;
  private first = true;
  private selectedCue: number | null = null;
  /** The tick the music is at, while it plays. */
  private playhead: number | null = null;
  view: RollView = { pxPerTick: 0.05, scrollTick: 0, width: FALLBACK_WIDTH, height: HEIGHT };
  private readonly resize: ResizeObserver | null;

  constructor() {
    this.canvas = h('canvas', {
      testid: 'pianoroll-canvas',
      class: 'pianoroll-canvas',
      attrs: { tabindex: 0, role: 'img', 'aria-label': 'Piano roll', title: 'Arrows scroll, + and \u2212 zoom, Home/End jump' },
      onKeydown: (ev) => this.onKey(ev),
      onWheel: (ev) => this.onWheel(ev),
    });
    this.scrollBar = h('input', {
      testid: 'pianoroll-scroll',
      class: 'pianoroll-scroll',
      attrs: { type: 'range', min: 0, max: 0, step: 1, 'aria-label': 'Scroll the piano roll' },
      onInput: () => this.scrollTo(Number(this.scrollBar.value), false),
    });
    this.legend = h('ul', { class: 'pianoroll-legend', testid: 'pianoroll-legend', attrs: { 'aria-label': 'Tracks' } });
    const tools = h(
      'div',
      { class: 'pianoroll-tools', attrs: { role: 'group', 'aria-label': 'Zoom' } },
      h('button', { testid: 'pianoroll-zoom-out', class: 'btn btn-small', attrs: { type: 'button', title: 'Zoom out (\u2212)' }, onClick: () => this.zoom(1 / 1.5) }, '\u2212'),
      h('button', { testid: 'pianoroll-zoom-in', class: 'btn btn-small', attrs: { type: 'button', title: 'Zoom in (+)' }, onClick: () => this.zoom(1.5) }, '+'),
      h('button', { testid: 'pianoroll-fit', class: 'btn btn-small', attrs: { type: 'button', title: 'Show the whole score' }, onClick: () => this.fit() }, 'Fit'),
    );
    this.el = h('div', { class: 'pianoroll', testid: 'pianoroll' }, tools, this.canvas, this.scrollBar, this.legend);
    this.resize =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver(() => {
            if (!this.measure()) return;
            if (this.fitted) this.fit();
            else this.sync();
          });
    this.resize?.observe(this.el);
  }

  setScore(score: Score): void {
    this.score = score;
    this.range = pitchRange(score.notes);
    this.end = endTick(score);
    this.canvas.setAttribute('aria-label', `Piano roll: ${score.notes.length} notes on ${score.tracks.length} tracks, ${score.cues.length} cues`);
    this.renderLegend(score.tracks);
    this.measure();
    if (this.fitted || this.first) this.fit();
    else this.scrollTo(this.view.scrollTick);
    this.first = false;
  }

  dispose(): void {
    this.resize?.disconnect();
  }

  /** Shows the whole score (and keeps showing it when the roll is resized). */
  fit(): void {
    this.fitted = true;
    this.view = { ...this.view, pxPerTick: fitZoom(this.end, this.view.width), scrollTick: 0 };
    this.sync();
  }

  zoom(factor: number, anchorX = GUTTER): void {
    this.fitted = false;
    this.view = zoomAt(this.view, factor, anchorX, this.end);
    this.sync();
  }

  /** Scrolls so `tick` is at the left edge (as far as the score allows). */
  scrollTo(tick: number, updateBar = true): void {
    this.view = { ...this.view, scrollTick: clampScroll(tick, this.end, this.view) };
    this.sync(updateBar);
  }

  /** Zooms and scrolls to show exactly this cue, and marks it. */
  showCue(index: number): void {
    const cue = this.score?.cues[index];
    if (!cue) return;
    this.selectedCue = index;
    this.fitted = false;
    this.view = viewForRange(this.view, cue.startTick, cue.endTick, this.end);
    this.sync();
  }

  /** Shows where the music is (null hides it), scrolling to keep it in view. */
  setPlayhead(tick: number | null): void {
    if (tick === this.playhead) return;
    this.playhead = tick;
    if (tick === null) delete this.canvas.dataset['playhead'];
    else this.canvas.dataset['playhead'] = String(tick);
    const visible = (this.view.width - GUTTER) / this.view.pxPerTick;
    if (tick !== null && (tick < this.view.scrollTick || tick > this.view.scrollTick + visible)) this.scrollTo(tick - visible / 8);
    else this.draw();
  }

  private sync(updateBar = true): void {
    const visible = (this.view.width - GUTTER) / this.view.pxPerTick;
    this.scrollBar.max = String(Math.max(0, Math.ceil(this.end - visible)));
    if (updateBar) this.scrollBar.value = String(Math.round(this.view.scrollTick));
    this.draw();
  }

  /** Takes the size from the layout; true when it changed. */
  private measure(): boolean {
    const width = this.el.clientWidth || FALLBACK_WIDTH;
    if (width === this.view.width) return false;
    this.view = { ...this.view, width };
    return true;
  }

  private renderLegend(tracks: readonly Track[]): void {
    replace(
      this.legend,
      tracks.map((t, i) =>
        h(
          'li',
          { class: 'legend-item', testid: 'legend-item', data: { track: i } },
          h('span', { class: 'legend-swatch', style: { background: trackColour(i) }, attrs: { 'aria-hidden': 'true' } }),
          h('span', { class: 'legend-name' }, t.name),
          h('span', { class: 'legend-instrument muted' }, GM_PROGRAMS[t.program] ?? ''),
        ),
      ),
    );
  }

  private onKey(ev: KeyboardEvent): void {
    const page = (this.view.width - GUTTER) / this.view.pxPerTick / 4;
    const actions: Record<string, () => void> = {
      ArrowRight: () => this.scrollTo(this.view.scrollTick + page),
      ArrowLeft: () => this.scrollTo(this.view.scrollTick - page),
      Home: () => this.scrollTo(0),
      End: () => this.scrollTo(this.end),
      '+': () => this.zoom(1.5),
      '=': () => this.zoom(1.5),
      '-': () => this.zoom(1 / 1.5),
    };
    const action = actions[ev.key];
    if (!action || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    ev.preventDefault();
    action();
  }

  private onWheel(ev: WheelEvent): void {
    ev.preventDefault();
    if (ev.ctrlKey) {
      const x = ev.offsetX || GUTTER;
      this.zoom(ev.deltaY < 0 ? 1.25 : 1 / 1.25, x);
    } else {
      const delta = Math.abs(ev.deltaX) > Math.abs(ev.deltaY) ? ev.deltaX : ev.deltaY;
      this.scrollTo(this.view.scrollTick + delta / this.view.pxPerTick);
    }
  }

  draw(): void {
    const { width, height } = this.view;
    const ratio = typeof window !== 'undefined' && window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    // jsdom has no 2D context; the geometry above is what the tests check.
    const ctx = this.canvas.getContext?.('2d') ?? null;
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawRoll(ctx, this.view, this.range, this.score, this.selectedCue, this.playhead);
  }
}

/** Paints the roll; separate from the widget so a test can hand it a recording context. */
export function drawRoll(ctx: CanvasRenderingContext2D, view: RollView, range: PitchRange, score: Score | null, selectedCue: number | null = null, playhead: number | null = null): void {
  const { width, height } = view;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  const row = rowHeight(range, view);

  // Black-key rows shaded, a line and a name at every C.
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (let p = range.low; p <= range.high; p++) {
    const y = pitchToY(p, range, view);
    if (isBlackKey(p)) {
      ctx.fillStyle = '#f3f1ec';
      ctx.fillRect(GUTTER, y, width - GUTTER, row);
    }
    if (p % 12 === 0) {
      ctx.fillStyle = '#d8d2c6';
      ctx.fillRect(GUTTER, y + row - 1, width - GUTTER, 1);
      ctx.fillStyle = '#5f5a52';
      ctx.fillText(pitchName(p), 4, y + row / 2);
    }
  }
  if (!score) return;

  ctx.save();
  ctx.beginPath();
  ctx.rect(GUTTER, 0, width - GUTTER, height);
  ctx.clip();

  const selected = selectedCue === null ? undefined : score.cues[selectedCue];
  if (selected) {
    ctx.fillStyle = 'rgba(47, 93, 98, 0.08)';
    const x = tickToX(selected.startTick, view);
    ctx.fillRect(x, 0, tickToX(selected.endTick, view) - x, height);
  }

  // Cue boundaries and names.
  ctx.textBaseline = 'alphabetic';
  ctx.font = '600 11px system-ui, sans-serif';
  for (const cue of cueBoundaries(score.cues, view)) {
    if (cue.x > width) break;
    ctx.fillStyle = '#2f5d62';
    ctx.fillRect(Math.round(cue.x), 0, 1, height);
    ctx.fillText(cue.name, cue.x + 3, HEADER - 7);
  }

  // Notes, only those on screen: a long score has tens of thousands.
  const first = xToTick(GUTTER, view);
  const last = xToTick(width, view);
  for (const note of score.notes) {
    if (note.onset > last) break; // notes are sorted by onset
    if (note.onset + note.length < first) continue;
    const r = noteRect(note, range, view);
    ctx.fillStyle = trackColour(note.track);
    ctx.globalAlpha = 0.45 + (note.velocity / 127) * 0.55;
    ctx.fillRect(r.x, r.y + 0.5, r.w, Math.max(1, r.h - 1));
  }
  ctx.globalAlpha = 1;

  if (playhead !== null) {
    ctx.fillStyle = '#c0392b';
    ctx.fillRect(Math.round(tickToX(playhead, view)) - 1, 0, 2, height);
  }
  ctx.restore();
}
