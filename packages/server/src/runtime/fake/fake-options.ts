import { z } from 'zod';
import { zodIssueError } from '../../platform/errors/index.js';
import { datatypes, type TensorSpec } from '../../wire/index.js';

const tensorSpecSchema = z.object({
  name: z.string().min(1),
  datatype: z.enum(datatypes),
  shape: z.array(z.number().int().min(-1)),
});

const fakeOptionsSchema = z.object({
  inputs: z
    .array(tensorSpecSchema)
    .min(1)
    .default([{ name: 'x', datatype: 'FP32', shape: [-1, 4] }]),
  outputs: z
    .array(tensorSpecSchema)
    .min(1)
    .default([{ name: 'y', datatype: 'FP32', shape: [-1, 4] }]),
  /** Simulated compute per run, waited out without blocking the event loop. */
  delayMs: z.number().min(0).default(0),
  /** Simulated compute per run that does block: the CPU spins this long. */
  busyMs: z.number().min(0).default(0),
  op: z.enum(['identity', 'add1', 'double']).default('identity'),
  /** An input element equal to this (a number, or a UTF-8 string for BYTES) makes the run throw. */
  failOn: z.union([z.number(), z.string()]).optional(),
  /** Overrides the default: batchable when every input and output has a leading -1. */
  batchable: z.boolean().optional(),
});

export type FakeOp = 'identity' | 'add1' | 'double';

export interface FakeOptions {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  delayMs: number;
  busyMs: number;
  op: FakeOp;
  failOn: number | string | undefined;
  batchable: boolean;
}

const hasBatchDim = (spec: TensorSpec) => spec.shape[0] === -1;

/** Reads the deployment's backend options; a bad value fails the load like a bad artifact would. */
export function parseFakeOptions(options: Record<string, unknown>): FakeOptions {
  const parsed = fakeOptionsSchema.safeParse(options);
  if (!parsed.success) throw zodIssueError(parsed.error, 'fake backend options', 'options.');
  const o = parsed.data;
  const batchable = o.batchable ?? [...o.inputs, ...o.outputs].every(hasBatchDim);
  return { ...o, failOn: o.failOn, batchable };
}
