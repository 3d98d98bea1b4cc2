import { serverDist } from './paths.mjs';

const { mulberry32 } = await import(serverDist('training/index.js'));
const { floatToHalf } = await import(serverDist('wire/oip/index.js'));

/** Uniform floats in [min, max), seeded. */
export function randomFloats(count, seed, min = -1, max = 1) {
  const random = mulberry32(seed);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = min + random() * (max - min);
  return data;
}

/** FP16 bits of random whole numbers 0..255, like raw pixel values. */
export function randomHalfPixels(count, seed) {
  const random = mulberry32(seed);
  const halves = Array.from({ length: 256 }, (_, v) => floatToHalf(v));
  const data = new Uint16Array(count);
  for (let i = 0; i < count; i++) data[i] = halves[Math.floor(random() * 256)];
  return data;
}
