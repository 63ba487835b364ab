// Keeps the editor's unsaved text against a crash: within DRAFT_MS of a change (also while the
// writer keeps typing, which holds the autosave off), the text goes to the core's draft store;
// once the text is saved the draft is cleared.

/** At most this long between a change and the draft holding it. */
export const DRAFT_MS = 300;

export class DraftKeeper {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pending: string | null = null;
  private writing: Promise<void> = Promise.resolve();
  private kept = false;

  constructor(
    private readonly store: (text: string) => Promise<void>,
    private readonly clear: () => Promise<void>,
    private readonly delay = DRAFT_MS,
  ) {}

  /** The editor's text changed. */
  change(text: string): void {
    this.pending = text;
    if (this.timer === null) this.timer = setTimeout(() => this.keep(), this.delay);
  }

  /** A draft kept before (a crash) is in use again: clear it too once the text is saved. */
  adopt(): void {
    this.kept = true;
  }

  /** The latest text is saved: the draft is not needed any more. */
  async saved(): Promise<void> {
    this.cancel();
    await this.writing;
    if (!this.kept) return;
    this.kept = false;
    await this.clear().catch(() => undefined);
  }

  dispose(): void {
    this.cancel();
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  private keep(): void {
    this.timer = null;
    const text = this.pending;
    this.pending = null;
    if (text === null) return;
    this.writing = this.writing.then(async () => {
      try {
        await this.store(text);
        this.kept = true;
      } catch {
        // The next change tries again; the autosave is what really saves.
      }
    });
  }
}
