import type { StopReason, TrainingEpoch } from '../../wire/training/index.js';
import { type EarlyStoppingState, initialEarlyStopping } from './early-stopping.js';

/** Where a run stands after its last completed epoch (what a checkpoint holds besides tensors). */
export interface LoopProgress {
  /** Last completed epoch, 0 before the first. */
  epoch: number;
  history: TrainingEpoch[];
  early: EarlyStoppingState;
  /** The best epoch's weights, when early stopping is to restore them. */
  bestWeights: Float32Array[] | null;
  /** Time spent training in this and earlier runs of the job. */
  elapsedMs: number;
  finished: StopReason | null;
}

export function freshProgress(): LoopProgress {
  return {
    epoch: 0,
    history: [],
    early: initialEarlyStopping,
    bestWeights: null,
    elapsedMs: 0,
    finished: null,
  };
}
