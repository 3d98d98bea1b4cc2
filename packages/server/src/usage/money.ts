/** Amounts are decimal currency units on the wire and integer nano-units in the store. */
const NANOS = 1e9;

export function toNanos(amount: number): number {
  return Math.round(amount * NANOS);
}

export function fromNanos(nanos: number): number {
  return nanos / NANOS;
}
