import type { GraphDraft } from './graph-draft.js';
import type { TfDim } from './model-view.js';

/**
 * How the running value is laid out in the ONNX graph. tfjs is channels-last throughout; ONNX Conv
 * and pooling want NCHW, so images switch layout where a layer needs it and nowhere else.
 */
export type Layout = 'flat' | 'NHWC' | 'NCHW';

/** The value flowing from layer to layer while the graph is written. */
export interface Flow {
  value: string;
  /** Its shape as tfjs sees it (channels last), without the batch dimension. */
  shape: readonly TfDim[];
  layout: Layout;
  /** The activation applied last; it decides what the output is called (`probabilities`, …). */
  activation: string;
}

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

/** The flow in `layout`, transposed if it is an image in the other one. */
export function inLayout(draft: GraphDraft, flow: Flow, layout: 'NHWC' | 'NCHW'): Flow {
  if (flow.layout === layout || flow.layout === 'flat') return flow;
  const perm = layout === 'NCHW' ? TO_NCHW : TO_NHWC;
  const value = draft.node('Transpose', [flow.value], `to_${layout}`, { perm });
  return { ...flow, value, layout };
}

/** The ONNX axis of tfjs's last (channel) axis. */
export function channelAxis(flow: Flow): number {
  return flow.layout === 'NCHW' ? 1 : -1;
}

/** Height, width and channels of an image shape (tfjs's, without the batch), which must all be fixed. */
export function imageDims(
  shape: readonly TfDim[],
): { height: number; width: number; channels: number } | undefined {
  const [height, width, channels] = shape;
  if (shape.length !== 3 || !height || !width || !channels) return undefined;
  return { height, width, channels };
}
