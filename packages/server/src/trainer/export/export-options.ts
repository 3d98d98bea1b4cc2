/**
 * The arithmetic of a table model's preprocessing, one entry per feature in input column order,
 * applied in this order: log(1 + x) on the features marked in `log1p`, then (x − mean) / std.
 */
export interface FeaturePreprocessing {
  log1p?: readonly boolean[];
  mean?: readonly number[];
  std?: readonly number[];
}

/**
 * An image model's normalisation, the image task's formula: (pixel × scale − mean[c]) / std[c].
 * `mean` and `std` hold one value for every channel or one per channel, in the input's channel order.
 */
export interface ImagePreprocessing {
  scale?: number;
  mean?: readonly number[];
  std?: readonly number[];
}

/** Preprocessing folded into the graph's start, so the exported model takes raw rows or pixels. */
export interface Preprocessing {
  features?: FeaturePreprocessing;
  image?: ImagePreprocessing;
}

/** NCHW is what the image task feeds unless its config says `layout: 'NHWC'`. */
export type ImageLayout = 'NCHW' | 'NHWC';

export interface OnnxExportOptions {
  preprocessing?: Preprocessing;
  /** Class names, one per output column; stored as JSON in metadata `modelport.labels`. */
  labels?: readonly string[];
  /** A table model's feature names in column order; stored as JSON in `modelport.features`. */
  features?: readonly string[];
  /** Layout of an image model's input tensor (default NCHW). */
  imageLayout?: ImageLayout;
  /**
   * A one-unit sigmoid head gives P(positive). `'positive'` (default) outputs it as [batch, 1], as
   * `model.predict` does; `'both'` outputs [batch, 2] = [1 − p, p], one column per label, which is
   * what a classification pipeline with two labels needs.
   */
  binaryOutput?: 'positive' | 'both';
  /** Default `features` for a table model, `image` for an image model. */
  inputName?: string;
  /** Default from the head: `probabilities` (softmax or sigmoid), `logits` (labels, no such activation) or `value`. */
  outputName?: string;
  /** Further metadata_props (dataset, metrics); the exporter's own `modelport.*` keys win. */
  metadata?: Readonly<Record<string, string>>;
  graphName?: string;
  docString?: string;
}
