import type { LabelScore } from '../../wire/index.js';
import type { ModelConfig } from './pipeline-parts.js';

/** Class scores per transformers' `problem_type`: softmax unless multi-label (sigmoid) or regression (raw). */
export function scoreFunction(problemType: string | undefined): (logits: Float32Array) => number[] {
  if (problemType === 'multi_label_classification') return (logits) => Array.from(logits, sigmoid);
  if (problemType === 'regression') return (logits) => Array.from(logits);
  return softmax;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function softmax(logits: Float32Array): number[] {
  const max = Math.max(...logits);
  const exps = Array.from(logits, (x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Labels by class index from `id2label`; a class the config does not name is `LABEL_<i>`, as in transformers. */
export function labelsOf(config: ModelConfig, classes: number): string[] {
  return Array.from({ length: classes }, (_, i) => config.id2label?.[String(i)] ?? `LABEL_${i}`);
}

/** The `k` best scores, highest first; equal scores keep class order. */
export function topLabels(scores: number[], labels: string[], k: number): LabelScore[] {
  return scores
    .map((score, i) => ({ label: labels[i] ?? `LABEL_${i}`, score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}
