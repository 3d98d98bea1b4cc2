import type { TrainingOptimizer } from '@modelport/contracts';
import * as tf from '@tensorflow/tfjs-core';
import { FusedAdamOptimizer, FusedMomentumOptimizer } from '../tf/fused-optimizers.js';

export function makeOptimizer(spec: TrainingOptimizer): tf.Optimizer {
  switch (spec.type) {
    case 'sgd':
      return spec.momentum > 0
        ? new FusedMomentumOptimizer(spec.learningRate, spec.momentum)
        : tf.train.sgd(spec.learningRate);
    case 'adam':
      return new FusedAdamOptimizer(spec.learningRate, spec.beta1, spec.beta2, spec.epsilon);
    case 'rmsprop':
      return tf.train.rmsprop(spec.learningRate, spec.rho, spec.momentum, spec.epsilon);
  }
}
