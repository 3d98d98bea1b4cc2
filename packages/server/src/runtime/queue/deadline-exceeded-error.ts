import { AppError } from '../../platform/errors/index.js';

/** A request's deadline passed while it was queued or running: 504 `deadline_exceeded`. */
export class DeadlineExceededError extends AppError {
  readonly timeoutMs: number;

  constructor(timeoutMs: number, where: 'queued' | 'running') {
    super('deadline_exceeded', `The request's ${timeoutMs} ms deadline passed while it was ${where}.`);
    this.name = 'DeadlineExceededError';
    this.timeoutMs = timeoutMs;
  }
}
