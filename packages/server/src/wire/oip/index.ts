export { bytesElementsSize, decodeBytesElements, encodeBytesElements } from './bytes-elements.js';
export { type EncodedInferRequest, encodeInferRequest, type InferRequestToEncode } from './encode-request.js';
export { floatToHalf } from './float-to-half.js';
export { float32ArrayToHalf } from './float32-to-half.js';
export { halfToFloat } from './half-to-float.js';
export {
  type ParameterValue,
  type ParsedInferRequest,
  parseInferRequest,
  type RequestedOutput,
} from './parse-request.js';
export { type ParsedInferResponse, parseInferResponse } from './parse-response.js';
export {
  type InferResponseToRender,
  type RenderedInferBody,
  renderInferResponse,
} from './render-response.js';
export { bytesToTensorData, elementByteSize, tensorByteSize, tensorToBytes } from './tensor-bytes.js';
export { DEFAULT_MAX_TENSOR_ELEMENTS, MAX_RANK, type TensorLimits } from './tensor-header.js';
