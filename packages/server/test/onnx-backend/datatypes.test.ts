import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnnxModel } from '../../src/runtime/onnx/index.js';
import { onnxBackend } from '../../src/runtime/onnx/index.js';
import { type Datatype, datatypes } from '../../src/wire/tensor.js';
import { addSpec, identitySpec, scratchDir, writeModel } from '../support/onnx-model-files.js';
import { samples, tensor } from '../support/sample-tensors.js';

let scratch: Awaited<ReturnType<typeof scratchDir>>;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(async () => {
  await scratch.cleanup();
});

async function load(name: string, spec: Parameters<typeof writeModel>[2]): Promise<OnnxModel> {
  const file = await writeModel(scratch.dir, name, spec);
  return onnxBackend.load({ path: file, threads: 1, options: {} });
}

describe('Identity runs every datatype through onnxruntime unchanged', () => {
  it.each(datatypes)('%s', async (datatype) => {
    const model = await load(`identity-${datatype}.onnx`, identitySpec(datatype, ['batch', 2]));
    try {
      expect(model.info()).toEqual({
        platform: 'onnx_onnxv1',
        inputs: [{ name: 'x', datatype, shape: [-1, 2] }],
        outputs: [{ name: 'y', datatype, shape: [-1, 2] }],
        batchable: true,
      });
      const x = samples[datatype];
      const { outputs } = await model.infer({ inputs: [tensor('x', datatype, [2, 2], x)] });
      expect(outputs).toHaveLength(1);
      const [y] = outputs;
      expect(y).toMatchObject({ name: 'y', datatype, shape: [2, 2] });
      // Same array class, same values: FP16 compares raw half bits, BYTES compares bytes.
      expect(y?.data.constructor).toBe(x.constructor);
      expect(y?.data).toEqual(x);
    } finally {
      await model.unload();
    }
  });
});

const addable = datatypes.filter(
  (d): d is Exclude<Datatype, 'BOOL' | 'BYTES'> => d !== 'BOOL' && d !== 'BYTES',
);

const numberArrays = {
  UINT8: Uint8Array,
  UINT16: Uint16Array,
  UINT32: Uint32Array,
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  FP32: Float32Array,
  FP64: Float64Array,
} as const;

function addCase(datatype: (typeof addable)[number]) {
  if (datatype === 'FP16') {
    // [1, 2.5] and [2, 0.5] as half bits: sum [3, 3], diff [-1, 2].
    return {
      a: Uint16Array.of(0x3c00, 0x4100),
      b: Uint16Array.of(0x4000, 0x3800),
      sum: [0x4200, 0x4200],
      diff: [0xbc00, 0x4000],
    };
  }
  if (datatype === 'INT64' || datatype === 'UINT64') {
    const make = datatype === 'INT64' ? BigInt64Array : BigUint64Array;
    return {
      a: make.of(2n ** 40n, 7n),
      b: make.of(5n, 3n),
      sum: [2n ** 40n + 5n, 10n],
      diff: [2n ** 40n - 5n, 4n],
    };
  }
  const make = numberArrays[datatype];
  return { a: make.of(9, 7), b: make.of(5, 3), sum: [14, 10], diff: [4, 4] };
}

describe('Add/Sub compute on the CPU provider', () => {
  it.each(addable)('%s', async (datatype) => {
    const model = await load(`add-${datatype}.onnx`, addSpec(datatype, [2]));
    try {
      const c = addCase(datatype);
      const inputs = [tensor('a', datatype, [2], c.a as never), tensor('b', datatype, [2], c.b as never)];
      const all = await model.infer({ inputs });
      expect(all.outputs.map((o) => o.name)).toEqual(['sum', 'diff']);
      expect(Array.from(all.outputs[0]?.data as ArrayLike<unknown>)).toEqual(c.sum);
      expect(Array.from(all.outputs[1]?.data as ArrayLike<unknown>)).toEqual(c.diff);
      const picked = await model.infer({ inputs, outputs: ['diff'] });
      expect(picked.outputs.map((o) => o.name)).toEqual(['diff']);
    } finally {
      await model.unload();
    }
  });
});
