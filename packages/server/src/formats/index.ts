export type {
  Cell,
  DatasetFrame,
  ImageFrame,
  ImageItem,
  TableColumn,
  TableFrame,
} from './dataset-frame.js';
export type { DatasetLimits } from './dataset-limits.js';
export { datasetTooLarge, invalidDataset } from './dataset-problems.js';
export { type DatasetFormatHints, detectDatasetFormat } from './detect-dataset-format.js';
export { extractImageDataset } from './extract-image-dataset.js';
export { inspectGguf } from './gguf-inspect.js';
export { type InspectedArtifact, inspectArtifact } from './inspect-artifact.js';
export { type ImageSizes, type InspectImagesOptions, inspectImages } from './inspect-images.js';
export { IMAGE_EXTENSIONS, listImageFolder } from './list-image-folder.js';
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
export { readCsvFrame } from './read-csv-frame.js';
export { readDatasetFrame } from './read-dataset-frame.js';
export { readHead } from './read-head.js';
export { readJsonlFrame } from './read-jsonl-frame.js';
export { SNIFF_BYTES, type SniffedFormat, sniffFormat } from './sniff.js';
export { type ExtractedFolder, extractModelFolder } from './tar-inspect.js';
