export { inspectGguf } from './gguf-inspect.js';
export { type InspectedArtifact, inspectArtifact } from './inspect-artifact.js';
export {
  type AttributeValue,
  asFloat,
  asFloats,
  type FloatAttribute,
  type FloatsAttribute,
  type TensorAttribute,
} from './onnx-attribute.js';
export { type OipDatatype, oipDatatypes, type TensorData } from './onnx-datatypes.js';
export {
  buildOnnxModel,
  type Dim,
  type NodeSpec,
  type OnnxModelSpec,
  type ValueSpec,
} from './onnx-graph-builder.js';
export { inspectOnnx } from './onnx-inspect.js';
export type { ExternalTensorSpec, InlineTensorSpec, TensorSpec } from './onnx-tensor-proto.js';
export { onnxElemType } from './onnx-types.js';
export { SNIFF_BYTES, type SniffedFormat, sniffFormat } from './sniff.js';
export { type ExtractedFolder, extractModelFolder } from './tar-inspect.js';
