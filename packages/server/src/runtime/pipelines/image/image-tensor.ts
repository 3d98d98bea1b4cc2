import type { Tensor } from '../../../wire/index.js';
import { float32ArrayToHalf } from '../../../wire/oip/index.js';
import type { ImageTaskConfig } from '../../../wire/task-config/index.js';
import type { DecodedPixels } from './decode-image.js';

type TensorSettings = Pick<
  ImageTaskConfig,
  'channels' | 'layout' | 'scale' | 'mean' | 'std' | 'dtype' | 'input'
>;

/**
 * The model input for one image, batch of 1: each value is `(pixel × scale − mean[c]) / std[c]`,
 * with channels in the model's order (BGR swaps the decoded RGB) and planes (NCHW) or interleaved
 * (NHWC).
 */
export function imageTensor(pixels: DecodedPixels, settings: TensorSettings): Tensor {
  const values = normalisedValues(pixels, settings);
  const { width, height, channels } = pixels;
  const shape = settings.layout === 'NCHW' ? [1, channels, height, width] : [1, height, width, channels];
  if (settings.dtype === 'FP32') return { name: settings.input, datatype: 'FP32', shape, data: values };
  return { name: settings.input, datatype: 'FP16', shape, data: float32ArrayToHalf(values) };
}

function normalisedValues(pixels: DecodedPixels, settings: TensorSettings): Float32Array {
  const { data, channels } = pixels;
  const plane = pixels.width * pixels.height;
  const out = new Float32Array(plane * channels);
  const planar = settings.layout === 'NCHW';
  for (let c = 0; c < channels; c++) {
    // Model channel c reads decoded channel 2 − c for BGR.
    const source = settings.channels === 'BGR' ? 2 - c : c;
    const mean = settings.mean[c] ?? 0;
    const factor = settings.scale / (settings.std[c] ?? 1);
    const offset = mean / (settings.std[c] ?? 1);
    for (let p = 0; p < plane; p++) {
      const value = (data[p * channels + source] ?? 0) * factor - offset;
      out[planar ? c * plane + p : p * channels + c] = value;
    }
  }
  return out;
}
