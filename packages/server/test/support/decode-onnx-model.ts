import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Decodes model bytes back into protobuf classes, so tests read what was actually written. */
export function decodeModel(bytes: Uint8Array): {
  model: onnxProto.onnx.ModelProto;
  graph: onnxProto.onnx.GraphProto;
} {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!(graph instanceof onnx.GraphProto)) throw new Error('model has no graph');
  return { model, graph };
}

/** Each dimension as its symbolic name, its size, or undefined when it is unknown. */
export function dimsOf(value: onnxProto.onnx.IValueInfoProto | undefined): (string | number | undefined)[] {
  const dims = (value?.type?.tensorType?.shape?.dim ?? []) as onnxProto.onnx.TensorShapeProto.Dimension[];
  // `value` names whichever of dimValue/dimParam is set.
  return dims.map((d) =>
    d.value === 'dimParam'
      ? (d.dimParam ?? undefined)
      : d.value === 'dimValue'
        ? Number(d.dimValue)
        : undefined,
  );
}
