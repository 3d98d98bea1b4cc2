import { badExportOption } from './export-errors.js';
import type { FeaturePreprocessing, ImagePreprocessing, Preprocessing } from './export-options.js';
import type { Flow } from './flow.js';
import type { GraphDraft } from './graph-draft.js';

/** Writes the folded preprocessing at the graph's start; returns the flow the first layer reads. */
export function writePreprocessing(draft: GraphDraft, flow: Flow, preprocessing: Preprocessing = {}): Flow {
  const { features, image } = preprocessing;
  if (flow.layout === 'flat') {
    if (image) throw badExportOption('preprocessing.image', 'the model takes rows of features, not images');
    return features ? { ...flow, value: writeFeatures(draft, flow, features) } : flow;
  }
  if (features)
    throw badExportOption('preprocessing.features', 'the model takes images, not rows of features');
  return image ? { ...flow, value: writeImage(draft, flow, image) } : flow;
}

function writeFeatures(draft: GraphDraft, flow: Flow, pre: FeaturePreprocessing): string {
  const count = flow.shape[0] ?? 0;
  let x = flow.value;
  const log1p = pre.log1p ?? [];
  checkLength('preprocessing.features.log1p', log1p, count);
  if (log1p.some(Boolean)) {
    // Where picks per feature; the other branch's NaN (log of x ≤ −1) is never selected.
    const one = draft.floats('pre/one', [], [1]);
    const logged = draft.node('Log', [draft.node('Add', [x, one], 'pre/log1p')], 'pre/log1p');
    const mask = draft.bools(
      'pre/log1p_mask',
      [count],
      Array.from({ length: count }, (_, i) => log1p[i] === true),
    );
    x = draft.node('Where', [mask, logged, x], 'pre/log1p');
  }
  return standardise(draft, x, [count], pre.mean, pre.std, 'preprocessing.features');
}

function writeImage(draft: GraphDraft, flow: Flow, pre: ImagePreprocessing): string {
  const channels = flow.shape[2] ?? 0;
  const scale = pre.scale ?? 1;
  if (!Number.isFinite(scale))
    throw badExportOption('preprocessing.image.scale', `${scale} is not a finite number`);
  let x = flow.value;
  if (scale !== 1) x = draft.node('Mul', [x, draft.floats('pre/scale', [], [scale])], 'pre/scale');
  // Per-channel constants broadcast along the channel axis: [C, 1, 1] in NCHW, [C] in NHWC.
  const dims = flow.layout === 'NCHW' ? [channels, 1, 1] : [channels];
  const perChannel = (values: readonly number[] | undefined) =>
    values?.length === 1 ? Array.from({ length: channels }, () => values[0] ?? 0) : values;
  return standardise(draft, x, dims, perChannel(pre.mean), perChannel(pre.std), 'preprocessing.image');
}

/** (x − mean) / std, skipping the identity halves; std must be positive (a constant feature gets 1). */
function standardise(
  draft: GraphDraft,
  x: string,
  dims: readonly number[],
  mean: readonly number[] | undefined,
  std: readonly number[] | undefined,
  param: string,
): string {
  const count = dims[0] ?? 0;
  let out = x;
  if (mean) {
    checkLength(`${param}.mean`, mean, count);
    if (!mean.every(Number.isFinite)) throw badExportOption(`${param}.mean`, 'every value must be finite');
    if (mean.some((m) => m !== 0))
      out = draft.node('Sub', [out, draft.floats('pre/mean', dims, mean)], 'pre/center');
  }
  if (std) {
    checkLength(`${param}.std`, std, count);
    if (!std.every((s) => Number.isFinite(s) && s > 0))
      throw badExportOption(`${param}.std`, 'every value must be a positive finite number');
    if (std.some((s) => s !== 1))
      out = draft.node('Div', [out, draft.floats('pre/std', dims, std)], 'pre/scale_std');
  }
  return out;
}

function checkLength(param: string, values: readonly unknown[], count: number): void {
  if (values.length > 0 && values.length !== count)
    throw badExportOption(param, `${values.length} values for ${count} inputs`);
}
