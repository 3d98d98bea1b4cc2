import { asFloat } from '../../formats/index.js';
import type { GraphDraft } from './graph-draft.js';

type ActivationWriter = (draft: GraphDraft, x: string, axis: number, stem: string) => string;

const unary =
  (opType: string): ActivationWriter =>
  (draft, x, _axis, stem) =>
    draft.node(opType, [x], stem);

/** tfjs's SELU constants (ONNX's defaults are the same numbers rounded to float32). */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Each tfjs activation as ONNX opset 17 nodes, computing what tfjs-layers 4.22 computes. */
const WRITERS: Readonly<Record<string, ActivationWriter>> = {
  linear: (_draft, x) => x,
  relu: unary('Relu'),
  relu6: (draft, x, _axis, stem) =>
    draft.node('Clip', [x, draft.floats(`${stem}/min`, [], [0]), draft.floats(`${stem}/max`, [], [6])], stem),
  elu: (draft, x, _axis, stem) => draft.node('Elu', [x], stem, { alpha: asFloat(1) }),
  selu: (draft, x, _axis, stem) =>
    draft.node('Selu', [x], stem, { alpha: asFloat(SELU_ALPHA), gamma: asFloat(SELU_SCALE) }),
  sigmoid: unary('Sigmoid'),
  // tfjs: clip(0.2·x + 0.5, 0, 1), which is ONNX HardSigmoid with these coefficients.
  hardSigmoid: (draft, x, _axis, stem) =>
    draft.node('HardSigmoid', [x], stem, { alpha: asFloat(0.2), beta: asFloat(0.5) }),
  tanh: unary('Tanh'),
  softmax: (draft, x, axis, stem) => draft.node('Softmax', [x], stem, { axis }),
  softplus: unary('Softplus'),
  softsign: unary('Softsign'),
  swish: (draft, x, _axis, stem) => draft.node('Mul', [x, draft.node('Sigmoid', [x], stem)], stem),
  mish: (draft, x, _axis, stem) =>
    draft.node('Mul', [x, draft.node('Tanh', [draft.node('Softplus', [x], stem)], stem)], stem),
  gelu: writeGelu,
  gelu_new: writeGeluTanh,
};

export const EXPORTABLE_ACTIVATIONS: readonly string[] = Object.keys(WRITERS);

export function isExportableActivation(name: string): boolean {
  return Object.hasOwn(WRITERS, name);
}

/** Applies `activation` to `x`; `axis` is where tfjs's last axis sits (softmax runs along it). */
export function writeActivation(
  draft: GraphDraft,
  x: string,
  activation: string,
  axis: number,
  stem: string,
): string {
  const writer = WRITERS[activation];
  if (!writer) throw new Error(`activation ${activation} has no ONNX form`);
  return writer(draft, x, axis, stem);
}

/** x · ½(1 + erf(x / √2)), as tfjs's `gelu`. */
function writeGelu(draft: GraphDraft, x: string, _axis: number, stem: string): string {
  const scaled = draft.node('Div', [x, draft.floats(`${stem}/sqrt2`, [], [Math.SQRT2])], stem);
  const erf = draft.node('Erf', [scaled], stem);
  const onePlus = draft.node('Add', [erf, draft.floats(`${stem}/one`, [], [1])], stem);
  const cdf = draft.node('Mul', [onePlus, draft.floats(`${stem}/half`, [], [0.5])], stem);
  return draft.node('Mul', [x, cdf], stem);
}

/** ½ x (1 + tanh(√(2/π) (x + 0.044715 x³))), as tfjs's `gelu_new`. */
function writeGeluTanh(draft: GraphDraft, x: string, _axis: number, stem: string): string {
  const cube = draft.node('Mul', [x, draft.node('Mul', [x, x], stem)], stem);
  const inner = draft.node(
    'Add',
    [x, draft.node('Mul', [cube, draft.floats(`${stem}/c`, [], [0.044715])], stem)],
    stem,
  );
  const scaled = draft.node('Mul', [inner, draft.floats(`${stem}/k`, [], [Math.sqrt(2 / Math.PI)])], stem);
  const onePlus = draft.node(
    'Add',
    [draft.node('Tanh', [scaled], stem), draft.floats(`${stem}/one`, [], [1])],
    stem,
  );
  return draft.node(
    'Mul',
    [draft.node('Mul', [x, onePlus], stem), draft.floats(`${stem}/half`, [], [0.5])],
    stem,
  );
}
