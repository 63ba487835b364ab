// Autosave for the script editor: a save starts DELAY ms after the last change, one save runs
// at a time, and a failed save keeps the text and tries again on the next change or after a pause.

export type SaveState = 'saved' | 'dirty' | 'saving' | 'error';

/** Quiet time after the last keystroke before saving; with the save itself, within a second. */
export const AUTOSAVE_DELAY_MS = 600;
/** After a failure, the next attempt without any new change. */
export const RETRY_MS = 5000;

export class Autosave {
  private state: SaveState = 'saved';
  private text: string;
  private savedText: string;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private readonly listeners = new Set<(state: SaveState, error?: unknown) => void>();

  constructor(
    initial: string,
    private readonly save: (text: string) => Promise<void>,
    private readonly delay = AUTOSAVE_DELAY_MS,
  ) {
    this.text = initial;
    this.savedText = initial;
  }

  get current(): SaveState {
    return this.state;
  }

  /** The latest text the editor holds (saved or not). */
  get latest(): string {
    return this.text;
  }

  onState(listener: (state: SaveState, error?: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  change(text: string): void {
    this.text = text;
    if (text === this.savedText && !this.running) {
      this.cancel();
      this.set('saved');
      return;
    }
    if (!this.running) this.set('dirty');
    this.schedule(this.delay);
  }

  /** Saves now (e.g. when leaving the editor); resolves when the latest text is saved or failed. */
  async flush(): Promise<void> {
    this.cancel();
    if (this.running) await this.running;
    // The save just finished may have scheduled the next one; this flush does its work now.
    this.cancel();
    if (this.text !== this.savedText) await this.run();
  }

  /** Resolves when the save running now (if any) has finished; starts none. */
  async idle(): Promise<void> {
    if (this.running) await this.running.catch(() => undefined);
  }

  /** The text is saved as `text` now (a merge stored it): nothing is pending. */
  reset(text: string): void {
    this.cancel();
    this.text = text;
    this.savedText = text;
    this.set('saved');
  }

  dispose(): void {
    this.cancel();
    this.listeners.clear();
  }

  private schedule(ms: number): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, ms);
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async run(): Promise<void> {
    if (this.running) return; // the running save reschedules when it sees newer text
    const text = this.text;
    this.set('saving');
    const attempt = (async () => {
      try {
        await this.save(text);
        this.savedText = text;
        this.running = null;
        if (this.text !== text) {
          this.set('dirty');
          this.schedule(this.delay);
        } else {
          this.set('saved');
        }
      } catch (err) {
        this.running = null;
        this.set('error', err);
        this.schedule(RETRY_MS);
      }
    })();
    this.running = attempt;
    await attempt;
  }

  private set(state: SaveState, error?: unknown): void {
    this.state = state;
    for (const l of this.listeners) l(state, error);
  }
}
