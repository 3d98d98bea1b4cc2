import type { LayersModel } from '@tensorflow/tfjs-layers';
import { badExportOption } from './export-errors.js';
import type { OnnxExportOptions } from './export-options.js';
import { planExport } from './export-plan.js';
import { viewSequential } from './model-view.js';

export interface TabularServingConfig {
  features: string[];
  labels?: string[];
  input: string;
  output: string;
  outputKind: 'probabilities' | 'logits' | 'values';
}

export interface ImageServingConfig {
  image: {
    width: number;
    height: number;
    channels: 'gray' | 'RGB';
    layout: 'NCHW' | 'NHWC';
    /** 1: the exported graph normalises raw 0–255 pixels itself (`preprocessing.image`). */
    scale: 1;
    resize: ImageResize;
    dtype: 'FP32';
  };
  labels?: string[];
  input: string;
  output: string;
  outputKind: 'probabilities' | 'logits';
}

/** How the image task brings a picture to the model's size (see its config). */
export type ImageResize = 'cover' | 'contain' | 'fill';

/** The version config the registry stores beside the exported file, keyed by the model's task. */
export type ServingConfig =
  | { task: 'tabular'; config: TabularServingConfig }
  | { task: 'image-classification'; config: ImageServingConfig };

/**
 * The task config under which the pipelines feed `exportToOnnx(model, options)` what it expects:
 * raw rows in column order, or raw pixels (any normalisation is folded into the graph, so the
 * pipeline's scale is 1). Unnamed features are called `x0`, `x1`, …. `resize` should be what
 * training did to its images; the default, `fill`, stretches them as the trainer does.
 */
export function servingConfig(
  model: LayersModel,
  options: OnnxExportOptions = {},
  resize: ImageResize = 'fill',
): ServingConfig {
  const { input, head } = planExport(viewSequential(model), options);
  const labels = options.labels ? { labels: [...options.labels] } : {};
  const names = { input: input.name, output: head.name };
  if (input.kind === 'table') {
    const features = options.features ?? Array.from({ length: input.features }, (_, i) => `x${i}`);
    return {
      task: 'tabular',
      config: { features: [...features], ...labels, ...names, outputKind: head.kind },
    };
  }
  if (head.kind === 'values')
    throw badExportOption(
      'labels',
      'an image model without a softmax or sigmoid head needs labels to classify',
    );
  if (input.channels !== 1 && input.channels !== 3)
    throw badExportOption(
      'imageLayout',
      `the image task feeds 1 or 3 channels, the model takes ${input.channels}`,
    );
  const { width, height, layout } = input;
  const channels = input.channels === 1 ? 'gray' : 'RGB';
  return {
    task: 'image-classification',
    config: {
      image: { width, height, channels, layout, scale: 1, resize, dtype: 'FP32' },
      ...labels,
      ...names,
      outputKind: head.kind,
    },
  };
}
