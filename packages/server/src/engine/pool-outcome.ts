import type { InstancePool } from './instance-pool.js';

/** A request a pool's runner served (no `error`) or failed, and how long it held the runner. */
export interface PoolOutcome {
  readonly pool: InstancePool;
  readonly ms: number;
  /** What the request failed with; the listener decides what counts (a 4xx or a client gone does not). */
  readonly error: unknown;
}
