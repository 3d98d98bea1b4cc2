import type { TrainingLayer, TrainingLoss } from '@modelport/contracts';
import { specError } from '../training-errors.js';
import type { OutputKind, Outputs } from './output-kind.js';

/**
 * What the last layer outputs, checked against the task: `classes` softmax units, or one sigmoid
 * unit for two classes, or one unit for regression.
 */
export function outputKind(layers: readonly TrainingLayer[], outputs: Outputs, param: string): OutputKind {
  const last = layers.at(-1);
  const at = `${param}.${layers.length - 1}`;
  if (last?.type !== 'dense') throw specError('the last layer must be dense (the output layer)', at);
  if (outputs.task === 'regression') {
    if (last.units !== 1) throw specError(`regression needs 1 output unit, not ${last.units}`, `${at}.units`);
    return { kind: 'value' };
  }
  if (last.units === 1 && last.activation === 'sigmoid' && outputs.classes === 2) return { kind: 'sigmoid' };
  if (last.units !== outputs.classes) {
    throw specError(
      `the target has ${outputs.classes} classes: the output layer needs ${outputs.classes} units (or 1 sigmoid unit for two classes), not ${last.units}`,
      `${at}.units`,
    );
  }
  if (last.activation !== 'softmax')
    throw specError('a classifier’s output layer needs the softmax activation', `${at}.activation`);
  return { kind: 'softmax', classes: outputs.classes };
}

/** The loss asked for, or the task's own; refused when it does not fit the output. */
export function chooseLoss(asked: TrainingLoss | undefined, output: OutputKind): TrainingLoss {
  const fitting: Record<OutputKind['kind'], readonly TrainingLoss[]> = {
    softmax: ['sparseCategoricalCrossentropy'],
    sigmoid: ['binaryCrossentropy'],
    value: ['meanSquaredError', 'meanAbsoluteError'],
  };
  const allowed = fitting[output.kind];
  if (asked === undefined) return allowed[0] as TrainingLoss;
  if (!allowed.includes(asked))
    throw specError(`does not fit the model's output; use ${allowed.join(' or ')}`, 'loss');
  return asked;
}
