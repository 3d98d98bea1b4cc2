import type { TrainingTask } from '@modelport/contracts';

/** What the model must output: a score per class, one probability (two classes), or one value. */
export type OutputKind =
  | { readonly kind: 'softmax'; readonly classes: number }
  | { readonly kind: 'sigmoid' }
  | { readonly kind: 'value' };

export interface Outputs {
  readonly task: TrainingTask;
  /** Number of classes; 0 for regression. */
  readonly classes: number;
}
