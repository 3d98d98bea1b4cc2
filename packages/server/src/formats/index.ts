export type {
  Cell,
  DatasetFrame,
  ImageFrame,
  ImageItem,
  TableColumn,
  TableFrame,
} from './dataset-frame.js';
export { inspectGguf } from './gguf-inspect.js';
export { type InspectedArtifact, inspectArtifact } from './inspect-artifact.js';
export { inspectOnnx } from './onnx-inspect.js';
export { onnxElemType } from './onnx-types.js';
export { SNIFF_BYTES, type SniffedFormat, sniffFormat } from './sniff.js';
export { type ExtractedFolder, extractModelFolder } from './tar-inspect.js';
