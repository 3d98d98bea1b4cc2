import * as tf from '@tensorflow/tfjs-core';
import {
  ADAM_UPDATE,
  type AdamUpdateAttrs,
  MOMENTUM_UPDATE,
  type MomentumUpdateAttrs,
} from './wasm-optimizer-kernels.js';

/**
 * tfjs's Adam and momentum optimizers with each variable's update as one kernel on the wasm backend
 * (wasm-optimizer-kernels.ts) instead of about ten: on a small model these calls cost more than the
 * matrix products. Same class names, state, weights and checkpoints as tfjs's; on any other backend
 * they are tfjs's own.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Gradients): void {
    if (tf.getBackend() !== 'wasm') {
      super.applyGradients(variableGradients);
      return;
    }
    // tfjs keeps these private; the layout is the one its own applyGradients uses.
    const state = this as unknown as AdamState;
    const accBeta1 = state.accBeta1.dataSync()[0] as number;
    const accBeta2 = state.accBeta2.dataSync()[0] as number;
    const attrs: AdamUpdateAttrs = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      oneMinusAccBeta1: Math.fround(1 - accBeta1),
      oneMinusAccBeta2: Math.fround(1 - accBeta2),
    };
    tf.tidy(() => {
      for (const [i, { name, tensor: gradient }] of namedGradients(variableGradients).entries()) {
        const value = variableNamed(name);
        state.accumulatedFirstMoment[i] ??= zeroSlot(`${name}/m`, value);
        state.accumulatedSecondMoment[i] ??= zeroSlot(`${name}/v`, value);
        if (gradient == null) continue;
        const m = state.accumulatedFirstMoment[i].variable;
        const v = state.accumulatedSecondMoment[i].variable;
        const [newValue, newM, newV] = tf
          .engine()
          .runKernel(ADAM_UPDATE, { value, gradient, m, v }, { ...attrs }) as tf.Tensor[];
        m.assign(newM as tf.Tensor);
        v.assign(newV as tf.Tensor);
        value.assign(newValue as tf.Tensor);
      }
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

export class FusedMomentumOptimizer extends tf.MomentumOptimizer {
  override applyGradients(variableGradients: Gradients): void {
    const state = this as unknown as MomentumState;
    if (tf.getBackend() !== 'wasm' || state.useNesterov) {
      super.applyGradients(variableGradients);
      return;
    }
    const attrs: MomentumUpdateAttrs = { learningRate: this.learningRate, momentum: state.momentum };
    tf.tidy(() => {
      for (const [i, { name, tensor: gradient }] of namedGradients(variableGradients).entries()) {
        const value = variableNamed(name);
        state.accumulations[i] ??= zeroSlot(`${name}/momentum`, value);
        if (gradient == null) continue;
        const accumulation = state.accumulations[i].variable;
        const [newValue, newAccumulation] = tf
          .engine()
          .runKernel(MOMENTUM_UPDATE, { value, gradient, accumulation }, { ...attrs }) as tf.Tensor[];
        accumulation.assign(newAccumulation as tf.Tensor);
        value.assign(newValue as tf.Tensor);
      }
    });
    this.incrementIterations();
  }
}

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
}

interface MomentumState {
  momentum: number;
  useNesterov: boolean;
  accumulations: Slot[];
}

/** What tfjs's optimizers take: a map from variable name, or a list of named tensors. */
type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

function namedGradients(gradients: Gradients): { name: string; tensor: tf.Tensor | undefined }[] {
  return Array.isArray(gradients)
    ? gradients.map(({ name, tensor }) => ({ name, tensor }))
    : Object.entries(gradients).map(([name, tensor]) => ({ name, tensor }));
}

function variableNamed(name: string): tf.Variable {
  const variable = tf.engine().registeredVariables[name];
  if (!variable) throw new Error(`no variable named ${name}`);
  return variable;
}

function zeroSlot(originalName: string, value: tf.Variable): Slot {
  return { originalName, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
}
