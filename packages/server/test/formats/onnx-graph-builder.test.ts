import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { asFloat, buildOnnxModel, type OipDatatype, type TensorData } from '../../src/formats/index.js';
import { decodeModel, dimsOf } from '../support/decode-onnx-model.js';
import { ort, ortSession } from '../support/ort-session.js';

const { onnx } = onnxProto;
const sessions: ort.InferenceSession[] = [];
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.release()));
});

async function run(
  bytes: Uint8Array,
  feeds: Record<string, ort.Tensor>,
): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ortSession(bytes);
  sessions.push(session);
  return session.run(feeds);
}

describe('buildOnnxModel in onnxruntime-node', () => {
  it('adds an FP32 bias over a -1 batch dimension', async () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', elemType: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'y', elemType: 'FP32', shape: [-1, 4] }],
      initializers: [{ name: 'b', elemType: 'FP32', dims: [4], data: new Float32Array([0.5, -1, 2, 100]) }],
      nodes: [{ opType: 'Add', inputs: ['x', 'b'], outputs: ['y'] }],
    });
    for (const batch of [1, 3]) {
      const x = Float32Array.from({ length: batch * 4 }, (_, i) => i);
      const { y } = await run(bytes, { x: new ort.Tensor('float32', x, [batch, 4]) });
      expect(y?.dims).toEqual([batch, 4]);
      expect(Array.from(y?.data as Float32Array)).toEqual(
        Array.from(x, (v, i) => v + ([0.5, -1, 2, 100][i % 4] ?? Number.NaN)),
      );
    }
  });

  it('adds INT64 values beyond 2^53 exactly', async () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', elemType: 'INT64', shape: [-1, 2] }],
      outputs: [{ name: 'y', elemType: 'INT64', shape: [-1, 2] }],
      initializers: [{ name: 'b', elemType: 'INT64', dims: [2], data: new BigInt64Array([2n ** 60n, -7n]) }],
      nodes: [{ opType: 'Add', inputs: ['x', 'b'], outputs: ['y'] }],
    });
    const x = new BigInt64Array([1n, 2n, 3n, -(2n ** 62n)]);
    const { y } = await run(bytes, { x: new ort.Tensor('int64', x, [2, 2]) });
    expect(y?.dims).toEqual([2, 2]);
    expect(Array.from(y?.data as BigInt64Array)).toEqual([
      2n ** 60n + 1n,
      -5n,
      2n ** 60n + 3n,
      -(2n ** 62n) - 7n,
    ]);
  });

  it('encodes integer attributes as INT and asFloat ones as FLOAT', async () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'a', elemType: 'FP32', shape: ['n', 2] }],
      outputs: [{ name: 'y', elemType: 'FP32', shape: ['n', 2] }],
      initializers: [
        { name: 'w', elemType: 'FP32', dims: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
        { name: 'c', elemType: 'FP32', dims: [2], data: new Float32Array([10, 20]) },
      ],
      nodes: [
        {
          opType: 'Gemm',
          inputs: ['a', 'w', 'c'],
          outputs: ['y'],
          attributes: { alpha: asFloat(2), beta: 0.5, transB: 1 },
        },
      ],
    });
    // y = 2 · a · wᵀ + 0.5 · c with a = [[1, 1]] and wᵀ = [[1, 3], [2, 4]].
    const { y } = await run(bytes, { a: new ort.Tensor('float32', new Float32Array([1, 1]), [1, 2]) });
    expect(Array.from(y?.data as Float32Array)).toEqual([2 * 3 + 5, 2 * 7 + 10]);
  });

  it('evaluates a Constant node whose value is a tensor attribute', async () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', elemType: 'INT32', shape: [3] }],
      outputs: [{ name: 'y', elemType: 'INT32', shape: [3] }],
      nodes: [
        {
          opType: 'Constant',
          inputs: [],
          outputs: ['k'],
          attributes: {
            value: { tensor: { name: '', elemType: 'INT32', dims: [3], data: new Int32Array([5, -6, 7]) } },
          },
        },
        { opType: 'Mul', inputs: ['x', 'k'], outputs: ['y'] },
      ],
    });
    const { y } = await run(bytes, { x: new ort.Tensor('int32', new Int32Array([1, 2, 3]), [3]) });
    expect(Array.from(y?.data as Int32Array)).toEqual([5, -12, 21]);
  });
});

interface IdentityCase {
  elemType: OipDatatype;
  ortType: ort.Tensor.Type;
  data: TensorData;
}

const FP16_BITS = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00]; // 1, -2, max, min subnormal, -0, +inf
const identityCases: IdentityCase[] = [
  { elemType: 'BOOL', ortType: 'bool', data: new Uint8Array([1, 0, 1, 1, 0, 0]) },
  { elemType: 'UINT8', ortType: 'uint8', data: new Uint8Array([0, 1, 127, 128, 254, 255]) },
  { elemType: 'INT8', ortType: 'int8', data: new Int8Array([-128, -1, 0, 1, 42, 127]) },
  { elemType: 'UINT16', ortType: 'uint16', data: new Uint16Array([0, 1, 256, 4660, 65534, 65535]) },
  { elemType: 'INT16', ortType: 'int16', data: new Int16Array([-32768, -256, -1, 0, 258, 32767]) },
  {
    elemType: 'INT32',
    ortType: 'int32',
    data: new Int32Array([-(2 ** 31), -65536, -1, 0, 0x01020304, 2 ** 31 - 1]),
  },
  {
    elemType: 'UINT32',
    ortType: 'uint32',
    data: new Uint32Array([0, 1, 0x01020304, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1]),
  },
  {
    elemType: 'INT64',
    ortType: 'int64',
    data: new BigInt64Array([-(2n ** 63n), -1n, 0n, 1n, 0x0102030405060708n, 2n ** 63n - 1n]),
  },
  {
    elemType: 'UINT64',
    ortType: 'uint64',
    data: new BigUint64Array([0n, 1n, 2n ** 32n, 0x0102030405060708n, 2n ** 63n, 2n ** 64n - 1n]),
  },
  { elemType: 'FP16', ortType: 'float16', data: new Uint16Array(FP16_BITS) },
  {
    elemType: 'FP32',
    ortType: 'float32',
    data: new Float32Array([1.5, -0.25, 3.4e38, 1e-45, -Infinity, 0.1]),
  },
  {
    elemType: 'FP64',
    ortType: 'float64',
    data: new Float64Array([Math.PI, -1e300, 5e-324, 0, Infinity, 1 / 3]),
  },
  { elemType: 'BYTES', ortType: 'string', data: ['hello', '', 'ünïcødé ✓', 'a,b', ' spaced ', 'tab\there'] },
];

describe('Identity graphs for every datatype onnxruntime-node runs on CPU', () => {
  it.each(identityCases)(
    '$elemType round-trips a graph input and an initializer',
    async ({ elemType, ortType, data }) => {
      const bytes = buildOnnxModel({
        inputs: [{ name: 'x', elemType, shape: [-1, 3] }],
        outputs: [
          { name: 'y', elemType, shape: [-1, 3] },
          { name: 'z', elemType, shape: [2, 3] },
        ],
        initializers: [{ name: 'c', elemType, dims: [2, 3], data }],
        nodes: [
          { opType: 'Identity', inputs: ['x'], outputs: ['y'] },
          { opType: 'Identity', inputs: ['c'], outputs: ['z'] },
        ],
      });
      const input = new ort.Tensor(ortType, data as ort.Tensor.DataType, [2, 3]);
      const { y, z } = await run(bytes, { x: input });
      const expected = Array.from(data as ArrayLike<unknown>);
      for (const out of [y, z]) {
        expect(out?.type).toBe(ortType);
        expect(out?.dims).toEqual([2, 3]);
        expect(Array.from(out?.data as ArrayLike<unknown>)).toEqual(expected);
      }
    },
  );
});

describe('buildOnnxModel encoding', () => {
  const addSpec = {
    inputs: [{ name: 'x', elemType: 'FP32', shape: ['batch', -1, 4] }],
    outputs: [{ name: 'y', elemType: 'FP32', shape: ['batch', -1, 4] }],
    initializers: [{ name: 'b', elemType: 'FP32', dims: [4], data: new Float32Array([1, 2, 3, 4]) }],
    nodes: [{ opType: 'Add', inputs: ['x', 'b'], outputs: ['y'] }],
  } as const;

  it('writes the model header, symbolic and unknown dims, and little-endian raw data', () => {
    const { model, graph } = decodeModel(
      buildOnnxModel({
        ...addSpec,
        opset: 13,
        docString: 'doc',
        metadataProps: { dataset: 'toy', accuracy: '1' },
      }),
    );
    expect(Number(model.irVersion)).toBe(8);
    expect(model.producerName).toBe('modelport');
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    expect(model.docString).toBe('doc');
    expect(model.metadataProps.map((p) => [p.key, p.value])).toEqual([
      ['dataset', 'toy'],
      ['accuracy', '1'],
    ]);
    expect(dimsOf(graph.input[0])).toEqual(['batch', undefined, 4]);
    const raw = graph.initializer[0]?.rawData ?? new Uint8Array();
    expect(Array.from(raw.subarray(0, 4))).toEqual([0x00, 0x00, 0x80, 0x3f]); // 1.0f
    expect(graph.initializer[0]?.dataType).toBe(onnx.TensorProto.DataType.FLOAT);
  });

  it('is byte-identical for equal specs and differs when a value changes', () => {
    const a = buildOnnxModel(addSpec);
    expect(Buffer.from(buildOnnxModel(addSpec)).equals(Buffer.from(a))).toBe(true);
    const changed = buildOnnxModel({
      ...addSpec,
      initializers: [{ name: 'b', elemType: 'FP32', dims: [4], data: new Float32Array([1, 2, 3, 5]) }],
    });
    expect(Buffer.from(changed).equals(Buffer.from(a))).toBe(false);
  });

  it('maps BF16, extra opsets and external data into the proto', () => {
    const { model, graph } = decodeModel(
      buildOnnxModel({
        inputs: [{ name: 'x', elemType: 'BF16', shape: [2] }],
        outputs: [{ name: 'y', elemType: 'BF16', shape: [2] }],
        initializers: [
          { name: 'h', elemType: 'BF16', dims: [2], data: new Uint16Array([0x3f80, 0xc000]) },
          { name: 'e', elemType: 'FP32', dims: [4], externalLocation: 'weights.bin', externalOffset: 16 },
        ],
        nodes: [{ opType: 'Add', inputs: ['x', 'h'], outputs: ['y'] }],
        extraOpsets: { 'ai.onnx.ml': 3 },
      }),
    );
    expect(graph.input[0]?.type?.tensorType?.elemType).toBe(onnx.TensorProto.DataType.BFLOAT16);
    expect(Array.from(graph.initializer[0]?.rawData ?? [])).toEqual([0x80, 0x3f, 0x00, 0xc0]);
    const external = graph.initializer[1];
    expect(external?.dataLocation).toBe(onnx.TensorProto.DataLocation.EXTERNAL);
    expect(external?.externalData?.map((e) => [e.key, e.value])).toEqual([
      ['location', 'weights.bin'],
      ['offset', '16'],
    ]);
    expect(model.opsetImport.map((o) => o.domain)).toEqual(['', 'ai.onnx.ml']);
  });

  it('keeps NUL bytes inside BYTES initializers', async () => {
    const bytes = buildOnnxModel({
      inputs: [],
      outputs: [{ name: 'z', elemType: 'BYTES', shape: [2] }],
      initializers: [{ name: 'c', elemType: 'BYTES', dims: [2], data: ['a\u0000b', 'x'] }],
      nodes: [{ opType: 'Identity', inputs: ['c'], outputs: ['z'] }],
    });
    const { z } = await run(bytes, {});
    expect(z?.data).toEqual(['a\u0000b', 'x']);
  });

  it.each([
    ['values of the wrong array type', { data: new Int32Array(4) }, /FP32 values must be a Float32Array/],
    ['too few values', { data: new Float32Array(3) }, /need 4 values, got 3/],
    ['negative dims', { dims: [-4] }, /non-negative integers/],
  ])('refuses initializers with %s', (_what, patch, message) => {
    const initializer = { ...addSpec.initializers[0], ...patch };
    expect(() => buildOnnxModel({ ...addSpec, initializers: [initializer] })).toThrow(message);
  });

  it('refuses dangling names, redefinitions and bad dims', () => {
    const node = addSpec.nodes[0];
    expect(() => buildOnnxModel({ ...addSpec, nodes: [{ ...node, inputs: ['x', 'nope'] }] })).toThrow(
      /reads "nope"/,
    );
    expect(() => buildOnnxModel({ ...addSpec, nodes: [{ ...node, outputs: ['x'] }] })).toThrow(
      /defined twice/,
    );
    expect(() => buildOnnxModel({ ...addSpec, nodes: [{ ...node, outputs: ['q'] }] })).toThrow(
      /never produced/,
    );
    const badShape = [{ name: 'x', elemType: 'FP32', shape: [-2, 4] }] as const;
    expect(() => buildOnnxModel({ ...addSpec, inputs: badShape })).toThrow(/bad dimension -2/);
  });
});
