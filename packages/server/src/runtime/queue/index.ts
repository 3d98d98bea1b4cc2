export { DeadlineExceededError } from './deadline-exceeded-error.js';
export {
  MAX_TIMER_MS,
  type QueueOptions,
  type QueueStats,
  queueFull,
  type RequestQueue,
  type Timed,
  unloading,
} from './request-queue.js';
export { type Lease, WorkQueue, type WorkQueueOptions } from './work-queue.js';
