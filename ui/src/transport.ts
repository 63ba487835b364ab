// The live transport as the UI sees it: what plays, where it is (time, bar, cue, line and
// scene, from the player's position reports and the score's line map), and the output the
// writer chose. One per app; views subscribe to show the playhead and highlight the line.

import { toApiError, type Api, type LineSpan, type OutputChoice, type Ports, type Report, type Score, type StartAt, type TransportState } from './api';

export type PlayState = 'stopped' | 'playing' | 'paused';

export interface Now {
  state: PlayState;
  seconds: number;
  tick: number;
  /** 1-based bar and beat at `tick`. */
  bar: number;
  beat: number;
  cue: string | null;
  /** The line sounding (its element id) and its scene (heading id); null between lines. */
  elementId: number | null;
  headingId: number | null;
  /** The script whose score plays. */
  scriptId: number | null;
}

const STOPPED: Now = { state: 'stopped', seconds: 0, tick: 0, bar: 1, beat: 1, cue: null, elementId: null, headingId: null, scriptId: null };

/** Bar and beat (1-based) at `tick`; the time signature is constant for the whole score. */
export function barAt(score: Pick<Score, 'ppq' | 'timeSignature'>, tick: number): { bar: number; beat: number } {
  const [beats, unit] = score.timeSignature;
  const beatTicks = (score.ppq * 4) / (unit || 4);
  const barTicks = beatTicks * (beats || 4);
  if (!(barTicks > 0)) return { bar: 1, beat: 1 };
  return { bar: Math.floor(tick / barTicks) + 1, beat: Math.floor((tick % barTicks) / beatTicks) + 1 };
}

/** The line sounding at `tick`: of the lines that take time, the last to have started. */
export function lineAt(lines: readonly LineSpan[], tick: number): LineSpan | null {
  let found: LineSpan | null = null;
  for (const line of lines) {
    if (line.endTick > line.startTick && line.startTick <= tick && tick < line.endTick) found = line;
  }
  return found;
}

/** The scene (heading id) sounding at `tick`, by its cue. */
export function sceneAt(score: Score, tick: number): number | null {
  const cue = score.cues.find((c) => c.startTick <= tick && tick < c.endTick);
  return cue?.sectionId ?? null;
}

export function outputKey(output: OutputChoice): string {
  return output.kind === 'speakers' ? 'speakers' : `port:${output.id}`;
}

export class LiveTransport {
  now: Now = { ...STOPPED };
  output: OutputChoice = { kind: 'speakers' };
  clock = false;
  /** The MIDI ports, or the reason there are none (`device_unavailable`'s message). */
  ports: Ports | null = null;
  portsError: string | null = null;
  private score: Score | null = null;
  private readonly listeners = new Set<(now: Now) => void>();
  private readonly portListeners = new Set<() => void>();
  private readonly cleanups: (() => void)[] = [];
  /** The last call to the transport: each waits for the one before, so Play pressed while a
   *  port is still connecting plays on that port, not on the output before it. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly api: Api,
    /** Where a failure the writer must read goes (the app's error banner). */
    private readonly showError: (err: unknown) => void,
  ) {}

  /** Listens to the app's reports and port changes; returns when listening. */
  async start(): Promise<void> {
    await Promise.all([
      this.subscribe(this.api.onLiveReport((r) => this.onReport(r))),
      this.subscribe(
        this.api.onMidiPorts((ports) => {
          this.ports = ports;
          this.portsError = null;
          this.portsChanged();
        }),
      ),
    ]);
  }

  private async subscribe(listening: Promise<() => void>): Promise<void> {
    try {
      this.cleanups.push(await listening);
    } catch {
      // No event bridge (a test without events): nothing to hear.
    }
  }

  dispose(): void {
    for (const c of this.cleanups.splice(0)) c();
    this.listeners.clear();
    this.portListeners.clear();
  }

  /** Calls `listener` now and whenever the position or state changes; returns the unsubscribe. */
  onChange(listener: (now: Now) => void): () => void {
    this.listeners.add(listener);
    listener(this.now);
    return () => this.listeners.delete(listener);
  }

  onPorts(listener: () => void): () => void {
    this.portListeners.add(listener);
    return () => this.portListeners.delete(listener);
  }

  /** Reads the ports and the transport's settings again (the picker opening). */
  async refreshPorts(): Promise<void> {
    try {
      const state = await this.api.liveState();
      this.output = state.output;
      this.clock = state.clock;
    } catch (err) {
      this.showError(err);
    }
    try {
      this.ports = await this.api.livePorts();
      this.portsError = null;
    } catch (err) {
      this.ports = null;
      this.portsError = toApiError(err).message;
    }
    this.portsChanged();
  }

  async choose(output: OutputChoice): Promise<boolean> {
    try {
      this.take(await this.inTurn(() => this.api.liveOutputChoose(output)));
      return true;
    } catch (err) {
      this.showError(err);
      this.portsChanged();
      return false;
    }
  }

  async setClock(on: boolean): Promise<void> {
    await this.command({ kind: 'clock', on });
  }

  /** Plays `score` (the script's, under the session) from `start`. */
  async play(scriptId: number, sessionId: number | null, score: Score, start: StartAt): Promise<boolean> {
    this.score = score;
    try {
      const playing = await this.inTurn(() => this.api.livePlay(scriptId, sessionId, start));
      this.set({ ...STOPPED, state: 'playing', scriptId }, playing.fromSeconds, this.tickAtSeconds(playing.fromSeconds));
      return true;
    } catch (err) {
      this.showError(err);
      this.set({ ...STOPPED }, 0, 0);
      return false;
    }
  }

  /** Plays the script's score under the session from `start` ("Play from here" on a scene or line). */
  async playScript(scriptId: number, sessionId: number | null, start: StartAt): Promise<boolean> {
    let score: Score;
    try {
      score = await this.api.musicScore(scriptId, sessionId);
    } catch (err) {
      this.showError(err);
      return false;
    }
    return this.play(scriptId, sessionId, score, start);
  }

  async pause(): Promise<void> {
    if (this.now.state !== 'playing') return;
    if (await this.command({ kind: 'pause' })) this.set({ ...this.now, state: 'paused' }, this.now.seconds, this.now.tick);
  }

  async resume(): Promise<void> {
    if (this.now.state !== 'paused') return;
    if (await this.command({ kind: 'resume' })) this.set({ ...this.now, state: 'playing' }, this.now.seconds, this.now.tick);
  }

  async stop(): Promise<void> {
    await this.command({ kind: 'stop' });
    this.set({ ...this.now, state: 'stopped' }, this.now.seconds, this.now.tick);
  }

  async panic(): Promise<void> {
    await this.command({ kind: 'panic' });
    this.set({ ...this.now, state: 'stopped' }, this.now.seconds, this.now.tick);
  }

  /** Repeats this cue while playing; null plays on. */
  async loop(cue: string | null): Promise<boolean> {
    return this.command({ kind: 'loop', cue });
  }

  private async command(command: Parameters<Api['liveTransport']>[0]): Promise<boolean> {
    try {
      this.take(await this.inTurn(() => this.api.liveTransport(command)));
      return true;
    } catch (err) {
      this.showError(err);
      return false;
    }
  }

  /** Runs `call` after every transport call made before it has ended, failed or not (the
   *  recorder's and the audition's calls, which sound on the chosen output, too). */
  inTurn<T>(call: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(call, call);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private take(state: TransportState): void {
    this.output = state.output;
    this.clock = state.clock;
    this.portsChanged();
  }

  onReport(report: Report): void {
    switch (report.kind) {
      case 'position':
        if (this.now.state === 'stopped') return; // a report that crossed a stop
        this.set({ ...this.now, cue: report.cue }, report.seconds, report.tick);
        break;
      case 'ended':
      case 'stopped':
        this.set({ ...this.now, state: 'stopped' }, this.now.seconds, this.now.tick);
        break;
      case 'failed':
        this.set({ ...this.now, state: 'stopped' }, this.now.seconds, this.now.tick);
        this.showError({ code: report.code, message: report.message });
        break;
    }
  }

  private tickAtSeconds(seconds: number): number {
    const score = this.score;
    if (!score || seconds <= 0) return 0;
    // Walk the tempo map: seconds per tick changes at each tempo change.
    let tick = 0;
    let elapsed = 0;
    let micros = score.tempoMap[0]?.microsPerQuarter ?? 500000;
    for (const change of score.tempoMap) {
      const span = ((change.tick - tick) / score.ppq) * (micros / 1e6);
      if (change.tick > tick && elapsed + span > seconds) break;
      if (change.tick > tick) {
        elapsed += span;
        tick = change.tick;
      }
      micros = change.microsPerQuarter;
    }
    return Math.round(tick + ((seconds - elapsed) * 1e6 * score.ppq) / micros);
  }

  private set(next: Now, seconds: number, tick: number): void {
    const { bar, beat } = this.score ? barAt(this.score, tick) : { bar: 1, beat: 1 };
    const line = this.score ? lineAt(this.score.lines, tick) : null;
    const playingOrPaused = next.state !== 'stopped';
    const headingId = this.score && playingOrPaused ? (line ? (this.score.cues[line.cue]?.sectionId ?? null) : sceneAt(this.score, tick)) : null;
    this.now = { ...next, seconds, tick, bar, beat, elementId: playingOrPaused ? (line?.elementId ?? null) : null, headingId };
    for (const l of [...this.listeners]) l(this.now);
  }

  private portsChanged(): void {
    for (const l of [...this.portListeners]) l();
  }
}
