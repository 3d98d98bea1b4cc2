import { round } from './percentiles.mjs';

/** One reported figure against its goal; `op` is '<=' or '>='. */
export function figure(label, value, op, goal) {
  const pass = op === '<=' ? value <= goal : value >= goal;
  return { label, value: round(value), op, goal, pass: Number.isFinite(value) && pass };
}

/** A figure reported for context only: with no goal it neither passes nor misses. */
export function infoFigure(label, value) {
  return { label, value: round(value), op: null, goal: null, pass: null };
}
