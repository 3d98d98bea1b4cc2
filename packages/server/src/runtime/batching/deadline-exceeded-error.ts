/** A request's timeout passed while it was queued or running; the caller maps it to a 504. */
export class DeadlineExceededError extends Error {
  readonly timeoutMs: number;

  constructor(timeoutMs: number, where: 'queued' | 'running') {
    super(`the request's ${timeoutMs} ms deadline passed while it was ${where}`);
    this.name = 'DeadlineExceededError';
    this.timeoutMs = timeoutMs;
  }
}
