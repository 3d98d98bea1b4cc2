/**
 * Wakes on-demand loads that wait for memory: `notify` is called whenever memory may have been
 * released (an instance became idle, a pool stopped, a start failed). A waiter also wakes after
 * `maxWaitMs`, so it can look again whether anyone still wants it loaded.
 */
export class MemoryRelease {
  private waiters: (() => void)[] = [];

  next(maxWaitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve();
      }, maxWaitMs);
      this.waiters.push(wake);
    });
  }

  notify(): void {
    if (this.waiters.length === 0) return;
    for (const wake of this.waiters.splice(0)) wake();
  }
}
