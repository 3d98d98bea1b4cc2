import type { TrainingOptimizer } from '@modelport/contracts';
import * as tf from '@tensorflow/tfjs-core';

export function makeOptimizer(spec: TrainingOptimizer): tf.Optimizer {
  switch (spec.type) {
    case 'sgd':
      return spec.momentum > 0
        ? tf.train.momentum(spec.learningRate, spec.momentum)
        : tf.train.sgd(spec.learningRate);
    case 'adam':
      return tf.train.adam(spec.learningRate, spec.beta1, spec.beta2, spec.epsilon);
    case 'rmsprop':
      return tf.train.rmsprop(spec.learningRate, spec.rho, spec.momentum, spec.epsilon);
  }
}
