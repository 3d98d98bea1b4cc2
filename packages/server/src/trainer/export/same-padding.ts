/** One spatial axis of a window op: input size, window (kernel) size, stride and dilation. */
export interface WindowAxis {
  size: number;
  window: number;
  stride: number;
  dilation: number;
}

/** Padding before and after an axis, and the output size it gives. */
export interface AxisPadding {
  before: number;
  after: number;
  out: number;
}

/**
 * TensorFlow's padding rule: 'valid' pads nothing; 'same' gives ceil(size / stride) outputs and
 * splits the padding it needs with the odd cell after (ONNX's SAME_UPPER), written out explicitly so
 * the graph says what it does.
 */
export function axisPadding(axis: WindowAxis, padding: 'same' | 'valid'): AxisPadding {
  const span = (axis.window - 1) * axis.dilation + 1;
  if (padding === 'valid')
    return { before: 0, after: 0, out: Math.floor((axis.size - span) / axis.stride) + 1 };
  const out = Math.ceil(axis.size / axis.stride);
  const total = Math.max((out - 1) * axis.stride + span - axis.size, 0);
  const before = Math.floor(total / 2);
  return { before, after: total - before, out };
}

/** ONNX `pads` for two spatial axes: [top, left, bottom, right]. */
export function onnxPads(height: AxisPadding, width: AxisPadding): number[] {
  return [height.before, width.before, height.after, width.after];
}
