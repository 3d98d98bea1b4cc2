export { EXPORTABLE_ACTIVATIONS } from './activation-nodes.js';
export { checkParity, type ParityResult } from './check-parity.js';
export type {
  FeaturePreprocessing,
  ImageLayout,
  ImagePreprocessing,
  OnnxExportOptions,
  Preprocessing,
} from './export-options.js';
export { EXPORT_IR_VERSION, EXPORT_OPSET } from './export-plan.js';
export { exportToOnnx } from './export-to-onnx.js';
export { EXPORTABLE_LAYERS } from './layer-converters.js';
export type { OnnxOutputKind } from './model-head.js';
export {
  type ImageResize,
  type ImageServingConfig,
  type ServingConfig,
  servingConfig,
  type TabularServingConfig,
} from './serving-config.js';
