import type { Tensor } from '../../src/wire/tensor.js';

const utf8 = new TextEncoder();

export interface Sample {
  tensor: Tensor;
  /** The data as flat JSON text, exactly as the codec renders it. */
  flatJson: string;
  /** The same data nested along the shape [2,2]. */
  nestedJson: string;
}

function sample<D extends Tensor['datatype']>(datatype: D, data: Tensor<D>['data'], flat: string[]): Sample {
  return {
    tensor: { name: `t_${datatype.toLowerCase()}`, datatype, shape: [2, 2], data } as Tensor,
    flatJson: `[${flat.join(',')}]`,
    nestedJson: `[[${flat.slice(0, 2).join(',')}],[${flat.slice(2).join(',')}]]`,
  };
}

/** One [2,2] tensor per datatype, with the extremes of each range. */
export const samples: Sample[] = [
  sample('BOOL', Uint8Array.of(1, 0, 0, 1), ['true', 'false', 'false', 'true']),
  sample('UINT8', Uint8Array.of(0, 255, 7, 128), ['0', '255', '7', '128']),
  sample('UINT16', Uint16Array.of(0, 65535, 1, 2), ['0', '65535', '1', '2']),
  sample('UINT32', Uint32Array.of(0, 4294967295, 1, 2), ['0', '4294967295', '1', '2']),
  sample('UINT64', BigUint64Array.of(0n, 18446744073709551615n, 1n, 9007199254740993n), [
    '0',
    '18446744073709551615',
    '1',
    '9007199254740993',
  ]),
  sample('INT8', Int8Array.of(-128, 127, 0, -1), ['-128', '127', '0', '-1']),
  sample('INT16', Int16Array.of(-32768, 32767, 0, -1), ['-32768', '32767', '0', '-1']),
  sample('INT32', Int32Array.of(-2147483648, 2147483647, 0, -1), ['-2147483648', '2147483647', '0', '-1']),
  sample('INT64', BigInt64Array.of(-9223372036854775808n, 9223372036854775807n, 9007199254740993n, -1n), [
    '-9223372036854775808',
    '9223372036854775807',
    '9007199254740993',
    '-1',
  ]),
  sample('FP16', Uint16Array.of(0x3c00, 0xc000, 0x3800, 0x7bff), ['1', '-2', '0.5', '65504']),
  sample('FP32', Float32Array.of(1.5, -0.25, 3.4028234663852886e38, 0.10000000149011612), [
    '1.5',
    '-0.25',
    '3.4028234663852886e+38',
    '0.10000000149011612',
  ]),
  sample('FP64', Float64Array.of(Math.PI, -1e-300, 5e-324, 1.7976931348623157e308), [
    '3.141592653589793',
    '-1e-300',
    '5e-324',
    '1.7976931348623157e+308',
  ]),
  sample(
    'BYTES',
    ['', 'héllo', '日本', 'a"b\\c\n'].map((s) => utf8.encode(s)),
    ['""', '"héllo"', '"日本"', '"a\\"b\\\\c\\n"'],
  ),
];

/** A request body whose inputs carry the given JSON data texts (which may hold 64-bit integers). */
export function jsonRequest(inputs: { tensor: Tensor; dataJson: string }[], extra = ''): Buffer {
  const parts = inputs.map(
    ({ tensor, dataJson }) =>
      `{"name":${JSON.stringify(tensor.name)},"datatype":"${tensor.datatype}",` +
      `"shape":${JSON.stringify(tensor.shape)},"data":${dataJson}}`,
  );
  return Buffer.from(`{${extra}"inputs":[${parts.join(',')}]}`);
}

export function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** A binary-extension body: the JSON header, then the chunks. */
export function binaryBody(header: unknown, ...chunks: Uint8Array[]): { body: Buffer; headerLength: number } {
  const json = jsonBody(header);
  return { body: Buffer.concat([json, ...chunks]), headerLength: json.length };
}
