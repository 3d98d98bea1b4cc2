import type { ModelPreset, TrainingLayer } from '@modelport/contracts';
import { specError } from '../training-errors.js';
import type { Outputs } from './output-kind.js';

const dense = (units: number, activation: 'relu' | 'softmax' | 'sigmoid' | 'linear'): TrainingLayer => ({
  type: 'dense',
  units,
  activation,
  l1: 0,
  l2: 0,
});

const conv = (filters: number): TrainingLayer => ({
  type: 'conv2d',
  filters,
  kernelSize: 5,
  strides: 1,
  padding: 'valid',
  activation: 'relu',
  l1: 0,
  l2: 0,
});

const pool: TrainingLayer = { type: 'maxPool2d', poolSize: 2 };

/**
 * The layers of a preset for these outputs. MLPs on images flatten the pixels first; `lenet` is
 * PyTorch's tutorial network (for 32×32×3 inputs; other sizes work while the maps stay ≥ 1 pixel).
 */
export function presetLayers(preset: ModelPreset, outputs: Outputs, imageInput: boolean): TrainingLayer[] {
  const flatten: TrainingLayer[] = imageInput ? [{ type: 'flatten' }] : [];
  switch (preset) {
    case 'mlp-64-64-10':
      if (outputs.task !== 'classification')
        throw specError('mlp-64-64-10 classifies; use layers for regression', 'model.preset');
      return [...flatten, dense(64, 'relu'), dense(64, 'relu'), dense(outputs.classes, 'softmax')];
    case 'mlp-64-32-1':
      if (outputs.task !== 'classification' || outputs.classes !== 2) {
        throw specError(
          'mlp-64-32-1 ends in one sigmoid unit: it needs a target with exactly two classes',
          'model.preset',
        );
      }
      return [...flatten, dense(64, 'relu'), dense(32, 'relu'), dense(1, 'sigmoid')];
    case 'lenet':
      if (!imageInput) throw specError('lenet is a convolutional network for image datasets', 'model.preset');
      return [
        conv(6),
        pool,
        conv(16),
        pool,
        { type: 'flatten' },
        dense(120, 'relu'),
        dense(84, 'relu'),
        dense(outputs.classes, 'softmax'),
      ];
  }
}

/** The model when the specification names none. */
export function defaultLayers(outputs: Outputs, imageInput: boolean): TrainingLayer[] {
  if (imageInput) return presetLayers('lenet', outputs, true);
  if (outputs.task === 'classification') return presetLayers('mlp-64-64-10', outputs, false);
  return [dense(64, 'relu'), dense(32, 'relu'), dense(1, 'linear')];
}
