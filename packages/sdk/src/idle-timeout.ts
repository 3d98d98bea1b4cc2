/**
 * Aborts a request after `ms` without progress. Uploads and downloads call `touch()` per chunk, so a
 * slow but moving transfer of a large artifact never times out while a stalled one does.
 */
export class IdleTimeout {
  private controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  fired = false;

  constructor(private readonly ms: number) {
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    clearTimeout(this.timer);
    if (this.controller.signal.aborted || !Number.isFinite(this.ms)) return;
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort(new Error(`no progress for ${this.ms} ms`));
    }, this.ms);
    this.timer.unref();
  }

  clear(): void {
    clearTimeout(this.timer);
  }

  /** A fresh signal and timer for the next attempt of a retried request (the last may have fired). */
  restart(): void {
    this.clear();
    if (this.controller.signal.aborted) this.controller = new AbortController();
    this.fired = false;
    this.touch();
  }
}
