import type { TrainingSpec } from '@modelport/contracts';

export interface EarlyStoppingState {
  /** The best watched figure so far, null before the first epoch. */
  readonly best: number | null;
  readonly bestEpoch: number;
  /** Epochs since the last improvement. */
  readonly wait: number;
}

export const initialEarlyStopping: EarlyStoppingState = { best: null, bestEpoch: 0, wait: 0 };

type Config = NonNullable<TrainingSpec['earlyStopping']>;

/**
 * One epoch's figure against the best so far: an improvement beats the best by more than
 * `minDelta` (down for losses and MAE, up for accuracy); `patience` epochs without one stop the run.
 */
export function observeEpoch(
  state: EarlyStoppingState,
  value: number,
  epoch: number,
  config: Config,
  higherIsBetter: boolean,
): { state: EarlyStoppingState; improved: boolean; stop: boolean } {
  const improved =
    state.best === null ||
    (higherIsBetter ? value > state.best + config.minDelta : value < state.best - config.minDelta);
  if (improved) return { state: { best: value, bestEpoch: epoch, wait: 0 }, improved, stop: false };
  const wait = state.wait + 1;
  return { state: { ...state, wait }, improved, stop: wait >= config.patience };
}
