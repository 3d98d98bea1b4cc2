import onnxProto from 'onnx-proto';
import { type AttributeValue, toAttributeProto } from './onnx-attribute.js';
import type { OipDatatype } from './onnx-datatypes.js';
import { type TensorSpec, toTensorProto } from './onnx-tensor-proto.js';
import { onnxElemType } from './onnx-types.js';

const { onnx } = onnxProto;

/** A dimension: a fixed size, a named symbolic size ('batch'), or -1 for an unnamed dynamic one. */
export type Dim = number | string;

export interface ValueSpec {
  name: string;
  elemType: OipDatatype;
  shape: readonly Dim[];
}

export interface NodeSpec {
  opType: string;
  /** Empty strings stand for omitted optional inputs, as in ONNX. */
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  domain?: string;
  attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface OnnxModelSpec {
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  initializers?: readonly TensorSpec[];
  nodes: readonly NodeSpec[];
  /** Version of the default ai.onnx opset. */
  opset?: number;
  /** Further opsets by domain, e.g. { 'ai.onnx.ml': 3 }. */
  extraOpsets?: Readonly<Record<string, number>>;
  irVersion?: number;
  producer?: string;
  graphName?: string;
  docString?: string;
  metadataProps?: Readonly<Record<string, string>>;
}

/** Encodes an ONNX ModelProto. Equal specs give byte-identical output (nothing time- or host-based). */
export function buildOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const initializers = spec.initializers ?? [];
  checkWiring(spec.inputs, initializers, spec.nodes, spec.outputs);
  const graph: onnxProto.onnx.IGraphProto = {
    name: spec.graphName ?? 'main',
    input: spec.inputs.map(toValueInfo),
    output: spec.outputs.map(toValueInfo),
    initializer: initializers.map(toTensorProto),
    node: spec.nodes.map(toNodeProto),
  };
  const model = onnx.ModelProto.create({
    irVersion: spec.irVersion ?? 8,
    producerName: spec.producer ?? 'modelport',
    opsetImport: [
      { domain: '', version: spec.opset ?? 17 },
      ...Object.entries(spec.extraOpsets ?? {}).map(([domain, version]) => ({ domain, version })),
    ],
    graph,
    ...(spec.docString === undefined ? {} : { docString: spec.docString }),
    metadataProps: Object.entries(spec.metadataProps ?? {}).map(([key, value]) => ({ key, value })),
  });
  // Copy: protobufjs may hand back a view into a shared Buffer pool.
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}

function toValueInfo(value: ValueSpec): onnxProto.onnx.IValueInfoProto {
  const dim = value.shape.map((d): onnxProto.onnx.TensorShapeProto.IDimension => {
    if (typeof d === 'string') return { dimParam: d };
    if (d === -1) return {};
    if (!Number.isSafeInteger(d) || d < 0) throw new Error(`${value.name}: bad dimension ${d}`);
    return { dimValue: d };
  });
  return {
    name: value.name,
    type: { tensorType: { elemType: onnxElemType(value.elemType), shape: { dim } } },
  };
}

function toNodeProto(node: NodeSpec, index: number): onnxProto.onnx.INodeProto {
  return {
    opType: node.opType,
    name: node.name ?? `${node.opType}_${index}`,
    domain: node.domain ?? '',
    input: [...node.inputs],
    output: [...node.outputs],
    attribute: Object.entries(node.attributes ?? {}).map(([name, value]) => toAttributeProto(name, value)),
  };
}

/** Catches dangling names here, with a clearer message than a runtime's graph loader gives. */
function checkWiring(
  inputs: readonly ValueSpec[],
  initializers: readonly TensorSpec[],
  nodes: readonly NodeSpec[],
  outputs: readonly ValueSpec[],
): void {
  // An initializer may share an input's name: it is then that input's default value.
  const known = new Set<string>([...inputs, ...initializers].map((v) => v.name));
  const define = (name: string) => {
    if (known.has(name)) throw new Error(`value ${JSON.stringify(name)} is defined twice`);
    known.add(name);
  };
  for (const node of nodes) {
    const missing = node.inputs.find((name) => name !== '' && !known.has(name));
    if (missing !== undefined)
      throw new Error(`${node.opType} reads ${JSON.stringify(missing)} before it exists`);
    for (const name of node.outputs) if (name !== '') define(name);
  }
  const dangling = outputs.find((o) => !known.has(o.name));
  if (dangling) throw new Error(`graph output ${JSON.stringify(dangling.name)} is never produced`);
}
