export { softmax } from '../scores/softmax.js';
export { topK } from '../scores/top-k.js';
export { type DecodedPixels, decodeImage } from './decode-image.js';
export { DEFAULT_TOP_K, MAX_INPUT_PIXELS, MAX_TOP_K, SUPPORTED_IMAGE_FORMATS } from './image-limits.js';
export { createImagePipeline } from './image-pipeline.js';
export { imageTensor } from './image-tensor.js';
export { sniffImageFormat } from './sniff-image-format.js';
