export { readModelInfo } from './model-info.js';
export { onnxBackend } from './onnx-backend.js';
export { OnnxModel } from './onnx-model.js';
export { noSpinning, sessionOptionsFor } from './session-options.js';
