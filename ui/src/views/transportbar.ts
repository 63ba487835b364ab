// The Orchestration view's transport bar: play/pause, stop, where the music is (time, bar and
// beat, cue), loop a cue, the output picker (speakers or a MIDI port, updated as ports come and
// go), MIDI clock and the panic button.

import type { Cue, OutputChoice, StartAt } from '../api';
import type { AppContext } from '../context';
import { button, h, isTextEntry, replace } from '../dom';
import { formatTime } from '../pianoroll';
import { outputKey, type Now } from '../transport';

export interface TransportBar {
  readonly el: HTMLElement;
  /** Space and Escape while the Orchestration view is shown. */
  onKey(ev: KeyboardEvent): void;
  /** The cues changed (a new score). */
  refresh(): void;
  dispose(): void;
}

export interface TransportSource {
  cues(): readonly Cue[];
  /** Where Play starts when nothing is paused: the selected cue, else the beginning. */
  start(): StartAt;
  play(start: StartAt): Promise<void>;
}

export function createTransportBar(app: AppContext, source: TransportSource): TransportBar {
  const live = app.live;
  const playBtn = button('\u25B6 Play', 'transport-play', () => void toggle(), { kind: 'primary', title: 'Play or pause (Space)' });
  const stopBtn = button('\u25A0 Stop', 'transport-stop', () => void live.stop(), { title: 'Stop (Escape)' });
  const panicBtn = button('Panic', 'transport-panic', () => void live.panic(), { kind: 'danger', title: 'Silence every note on every channel of the output' });
  const time = h('span', { class: 'transport-time', testid: 'transport-time' }, '0:00.0');
  const bar = h('span', { class: 'transport-bar-beat', testid: 'transport-bar' }, 'Bar 1 \u00B7 1');
  const cue = h('span', { class: 'transport-cue', testid: 'transport-cue' }, '\u2014');
  const loop = h('select', { class: 'input', testid: 'transport-loop', attrs: { 'aria-label': 'Loop a cue' }, onChange: () => void live.loop(loop.value || null) });
  const picker = h('select', { class: 'input', testid: 'output-picker', attrs: { 'aria-label': 'Output' }, onChange: () => void choose() });
  const portsNote = h('p', { class: 'hint', testid: 'output-message', attrs: { role: 'note', hidden: true } });
  const clock = h('input', { testid: 'transport-clock', attrs: { type: 'checkbox' }, onChange: () => void live.setClock(clock.checked) });
  const el = h(
    'div',
    { class: 'card transport', testid: 'transport', attrs: { role: 'toolbar', 'aria-label': 'Transport' } },
    h('div', { class: 'transport-row' }, playBtn, stopBtn, h('span', { class: 'transport-position', attrs: { 'aria-live': 'off' } }, time, bar, cue), h('label', { class: 'transport-loop' }, 'Loop ', loop)),
    h('div', { class: 'transport-row' }, h('label', { class: 'transport-output' }, 'Output ', picker), h('label', { class: 'transport-clock', attrs: { title: 'Send MIDI clock to the MIDI port (a drum machine or sequencer follows the story)' } }, clock, ' MIDI clock'), panicBtn),
    portsNote,
  );

  async function toggle(): Promise<void> {
    const state = live.now.state;
    if (state === 'playing') await live.pause();
    else if (state === 'paused') await live.resume();
    else await source.play(source.start());
  }

  async function choose(): Promise<void> {
    const wanted = picker.value;
    const choice: OutputChoice | undefined = wanted === 'speakers' ? { kind: 'speakers' } : live.ports?.outputs.filter((p) => `port:${p.id}` === wanted).map((p) => ({ kind: 'port' as const, ...p }))[0];
    if (choice) await live.choose(choice);
    renderPicker();
  }

  function renderPicker(): void {
    const current = outputKey(live.output);
    const outputs = live.ports?.outputs ?? [];
    const options = [h('option', { attrs: { value: 'speakers' } }, 'Speakers (preview)'), ...outputs.map((p) => h('option', { attrs: { value: `port:${p.id}` } }, p.name))];
    // A remembered port that is not plugged in now still shows, marked as missing.
    if (live.output.kind === 'port' && !outputs.some((p) => `port:${p.id}` === current)) {
      options.push(h('option', { attrs: { value: current } }, `${live.output.name} (not connected)`));
    }
    replace(picker, options);
    picker.value = current;
    clock.checked = live.clock;
    portsNote.hidden = live.portsError === null;
    portsNote.textContent = live.portsError ? `${live.portsError} The speakers still work.` : '';
  }

  function renderLoop(): void {
    const chosen = loop.value;
    replace(loop, h('option', { attrs: { value: '' } }, 'No loop'), source.cues().map((c) => h('option', { attrs: { value: c.name } }, c.name)));
    loop.value = source.cues().some((c) => c.name === chosen) ? chosen : '';
  }

  function show(now: Now): void {
    playBtn.textContent = now.state === 'playing' ? '\u275A\u275A Pause' : '\u25B6 Play';
    playBtn.setAttribute('aria-pressed', now.state === 'playing' ? 'true' : 'false');
    el.dataset['state'] = now.state;
    time.textContent = formatTime(now.seconds);
    bar.textContent = `Bar ${now.bar} \u00B7 ${now.beat}`;
    cue.textContent = now.cue ?? '\u2014';
  }

  function onKey(ev: KeyboardEvent): void {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || isTextEntry(ev.target)) return;
    const onControl = ev.target instanceof HTMLElement && ev.target.closest('button, select') !== null;
    if (ev.key === ' ' && !onControl) {
      ev.preventDefault();
      void toggle();
    } else if (ev.key === 'Escape' && live.now.state !== 'stopped') {
      ev.preventDefault();
      void live.stop();
    }
  }

  renderLoop();
  renderPicker();
  const stops = [live.onChange(show), live.onPorts(renderPicker)];
  void live.refreshPorts();
  return {
    el,
    onKey,
    refresh: renderLoop,
    dispose: () => stops.forEach((s) => s()),
  };
}
