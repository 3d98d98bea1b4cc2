/** Test-only ONNX model builders, encoded with onnx-proto. */
import { open } from 'node:fs/promises';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export const FLOAT = 1;
export const FLOAT16 = 10;
export const INT64 = 7;
const EXTERNAL = 1;

type Dim = number | string;

export function valueInfo(name: string, elemType: number, dims: Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export interface ModelOptions {
  irVersion?: number;
  graph?: onnxProto.onnx.IGraphProto | null;
  initializers?: onnxProto.onnx.ITensorProto[];
  extraInputs?: onnxProto.onnx.IValueInfoProto[];
}

/** y = Identity(x), x and y float [batch, 3]. */
export function identityModel(opts: ModelOptions = {}): Buffer {
  const graph: onnxProto.onnx.IGraphProto = {
    name: 'identity',
    node: [{ opType: 'Identity', input: ['x'], output: ['y'], name: 'id' }],
    input: [valueInfo('x', FLOAT, ['batch', 3]), ...(opts.extraInputs ?? [])],
    output: [valueInfo('y', FLOAT, ['batch', 3])],
    initializer: opts.initializers ?? [],
  };
  const model = onnx.ModelProto.create({
    irVersion: opts.irVersion ?? 8,
    producerName: 'modelport-test',
    opsetImport: [{ domain: '', version: 17 }],
    ...(opts.graph === null ? {} : { graph: opts.graph ?? graph }),
  });
  return Buffer.from(onnx.ModelProto.encode(model).finish());
}

/** A float initializer of `elements` values stored in an external file. */
export function externalTensor(name: string, elements: number, entries: Record<string, string>) {
  return {
    name,
    dims: [elements],
    dataType: FLOAT,
    dataLocation: EXTERNAL,
    externalData: Object.entries(entries).map(([key, value]) => ({ key, value })),
  };
}

export function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function lenField(field: number, length: number): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(length)]);
}

/**
 * Writes an identity model whose graph also holds one float initializer `w` of `rawBytes` bytes of
 * raw_data, without ever holding those bytes in memory: protobuf fields may be appended to an
 * encoded message, so the big field is written last and its zeros come from extending the file
 * (sparse where the file system allows).
 */
export async function writeModelWithBigInitializer(filePath: string, rawBytes: number): Promise<void> {
  const tensorHead = Buffer.from(
    onnx.TensorProto.encode({ name: 'w', dims: [rawBytes / 4], dataType: FLOAT }).finish(),
  );
  const tensorBytes = tensorHead.length + lenField(9, rawBytes).length + rawBytes;
  const graphHead = Buffer.concat([
    Buffer.from(
      onnx.GraphProto.encode({
        name: 'big',
        node: [{ opType: 'Identity', input: ['x'], output: ['y'] }],
        input: [valueInfo('x', FLOAT, [1, 3])],
        output: [valueInfo('y', FLOAT, [1, 3])],
      }).finish(),
    ),
    lenField(5, tensorBytes),
    tensorHead,
    lenField(9, rawBytes),
  ]);
  const graphBytes = graphHead.length + rawBytes;
  const modelHead = Buffer.from(
    onnx.ModelProto.encode({ irVersion: 8, producerName: 'big', opsetImport: [{ version: 17 }] }).finish(),
  );
  const prefix = Buffer.concat([modelHead, lenField(7, graphBytes), graphHead]);
  const handle = await open(filePath, 'w');
  try {
    await handle.write(prefix);
    await handle.truncate(prefix.length + rawBytes);
  } finally {
    await handle.close();
  }
}
