import { round } from './percentiles.mjs';

/** One reported figure against its goal; `op` is '<=' or '>='. */
export function figure(label, value, op, goal) {
  const pass = op === '<=' ? value <= goal : value >= goal;
  return { label, value: round(value), op, goal, pass: Number.isFinite(value) && pass };
}
