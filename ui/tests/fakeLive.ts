// The fake backend's live part: the transport's state, the MIDI ports (none by default, as on
// a machine without a MIDI system) and recording, answering as src/live/transport.rs does.
// Tests drive the player's reports and port changes with `report` and `plug`.

import { emit } from '@tauri-apps/api/event';
import type { Leitmotif, OutputChoice, Ports, Report, Score, StartAt, TransportState } from '../src/api';

type Args = Record<string, unknown>;

interface Backend {
  score(scriptId: number, sessionId: number | null): Score;
  settings: Map<string, unknown>;
}

class LiveError {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

export const NO_MIDI = 'No MIDI system on this machine: MIDI support could not be initialized (the ALSA sequencer (/dev/snd/seq) is missing).';

export class FakeLive {
  /** null: no MIDI system (every MIDI call is device_unavailable). */
  ports: Ports | null = null;
  /** When false, the speakers do not open. */
  speakers = true;
  state: TransportState = { output: { kind: 'speakers' }, clock: false, recording: false };
  /** What play was last asked for, the seconds it started at and the output it played on. */
  played: { scriptId: number; start: StartAt; fromSeconds: number; output: OutputChoice } | null = null;
  /** The take the next record_stop hands back. */
  take: Leitmotif = [
    { degree: 0, length: 1 },
    { degree: 2, length: 1 },
    { degree: 4, length: 2 },
  ];

  constructor(private readonly backend: Backend) {}

  /** A report from the player, as the app emits it. */
  async report(report: Report): Promise<void> {
    await emit('live-report', report);
  }

  /** Ports come or go: the port watch's event. */
  async plug(ports: Ports | null): Promise<void> {
    this.ports = ports;
    if (ports) await emit('midi-ports', ports);
  }

  handle(cmd: string, a: Args): unknown {
    switch (cmd) {
      case 'live_ports':
        return this.midi();
      case 'live_state':
        return { ...this.state };
      case 'live_output_choose': {
        const output = a['output'] as OutputChoice;
        this.connect(output);
        this.state.output = output;
        this.backend.settings.set('liveOutput', output);
        return { ...this.state };
      }
      case 'live_play':
        return this.play(a['scriptId'] as number, (a['sessionId'] as number | null) ?? null, a['start'] as StartAt);
      case 'live_transport': {
        const command = a['command'] as { kind: string; on?: boolean };
        if (command.kind === 'clock') this.state.clock = command.on === true;
        if (command.kind === 'panic' && !this.played) this.connect(this.state.output);
        if (command.kind === 'stop' || command.kind === 'panic') this.played = null;
        return { ...this.state };
      }
      case 'live_record_start': {
        if (this.state.recording) throw new LiveError('conflict', 'A take is being recorded already: stop it first.');
        const input = a['input'] as string;
        const port = this.midi().inputs.find((p) => p.id === input || p.name === input);
        if (!port) throw new LiveError('not_found', `No MIDI input port ${JSON.stringify(input)} (there are: ${this.midi().inputs.map((p) => p.name).join(', ') || 'none'}).`);
        this.state.recording = true;
        return { ...this.state };
      }
      case 'live_record_stop':
        if (!this.state.recording) throw new LiveError('invalid_input', 'Nothing is being recorded.');
        this.state.recording = false;
        return { leitmotif: this.take, notes: this.take.length, thruError: null };
      case 'live_audition':
        this.connect(this.state.output);
        return 0;
      default:
        throw new LiveError('invalid_input', `fake backend does not know ${cmd}`);
    }
  }

  private midi(): Ports {
    if (!this.ports) throw new LiveError('device_unavailable', NO_MIDI);
    return this.ports;
  }

  private connect(output: OutputChoice): void {
    if (output.kind === 'speakers') {
      if (!this.speakers) throw new LiveError('device_unavailable', 'No audio output device on this machine: no default output device.');
      return;
    }
    const port = this.midi().outputs.find((p) => p.id === output.id) ?? this.midi().outputs.find((p) => p.name === output.name);
    if (!port) throw new LiveError('not_found', `No MIDI output port ${JSON.stringify(output.id)} (there are: ${this.midi().outputs.map((p) => p.name).join(', ') || 'none'}).`);
  }

  private play(scriptId: number, sessionId: number | null, start: StartAt): { fromSeconds: number } {
    const score = this.backend.score(scriptId, sessionId);
    const fromSeconds = startSeconds(score, start);
    this.connect(this.state.output);
    this.played = { scriptId, start, fromSeconds, output: this.state.output };
    return { fromSeconds };
  }
}

/** As `live::player::start_seconds` (the fake's scores run at 120 bpm throughout). */
function startSeconds(score: Score, start: StartAt): number {
  const seconds = (tick: number) => tick / score.ppq / 2;
  switch (start.kind) {
    case 'seconds':
      if (!(Number.isFinite(start.seconds) && start.seconds >= 0)) throw new LiveError('invalid_input', `start at a number of seconds from 0, not ${start.seconds}`);
      return start.seconds;
    case 'cue': {
      const cue = score.cues.find((c) => c.name.toLowerCase() === start.name.trim().toLowerCase());
      if (!cue) throw new LiveError('not_found', `No cue ${JSON.stringify(start.name)} in this score (cues: ${score.cues.map((c) => c.name).join(', ')}).`);
      return cue.startSeconds;
    }
    case 'scene': {
      const index = score.cues.findIndex((c) => c.sectionId === start.headingId);
      if (index < 0) throw new LiveError('not_found', `Scene ${start.headingId} is not in this score.`);
      const line = score.lines.find((l) => l.cue === index);
      return seconds(line ? line.startTick : score.cues[index]!.startTick);
    }
    case 'line': {
      const line = score.lines.find((l) => l.elementId === start.elementId);
      if (!line) throw new LiveError('not_found', `Line ${start.elementId} is not in this score (compose again after adding it).`);
      return seconds(line.startTick);
    }
  }
}
