import { figure, infoFigure } from './lib/figure.mjs';
import { jsonInferRequest } from './lib/oip-client.mjs';
import { serverDist } from './lib/paths.mjs';
import { round } from './lib/percentiles.mjs';
import { randomFloats } from './lib/tensor-data.mjs';

const { parseInferRequest } = await import(serverDist('wire/oip/index.js'));

/** Rounds alternate the two sides (and which goes first); the ratio is of their medians. */
const ROUNDS = 9;
/** Bytes decoded per side and round, so each round lasts some 10–50 ms. */
const BYTES_PER_ROUND = 8e6;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

function msPerCall(fn, iterations) {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return (performance.now() - start) / iterations;
}

/** One FP32 body: floats printed as doubles (as clients send float32 data), flat or nested in rows. */
function body(rows, columns) {
  const data = randomFloats(rows * columns, 3, -2.1, 2.6);
  const request = jsonInferRequest([{ name: 'x', datatype: 'FP32', shape: [rows, columns], data }]);
  if (rows === 1) return request.body;
  const json = JSON.parse(request.body.toString('utf8'));
  const flat = json.inputs[0].data;
  json.inputs[0].data = Array.from({ length: rows }, (_, r) => flat.slice(r * columns, (r + 1) * columns));
  return Buffer.from(JSON.stringify(json));
}

/**
 * Codec decode time ÷ `JSON.parse` + `Float32Array.from` of the same body (the floor any decoder
 * has; nested data flattened with `Array.prototype.flat` first).
 */
function measure(bytes, nested) {
  const dataOf = (text) => JSON.parse(text).inputs[0].data;
  const floor = nested
    ? () => Float32Array.from(dataOf(bytes.toString('utf8')).flat())
    : () => Float32Array.from(dataOf(bytes.toString('utf8')));
  const decode = () => parseInferRequest(bytes, undefined);
  const iterations = Math.max(10, Math.round(BYTES_PER_ROUND / bytes.length));
  const times = { floor: [], decode: [] };
  for (const side of ['floor', 'decode']) msPerCall(side === 'floor' ? floor : decode, iterations);
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? ['floor', 'decode'] : ['decode', 'floor'];
    for (const side of order) times[side].push(msPerCall(side === 'floor' ? floor : decode, iterations));
  }
  const floorMs = median(times.floor);
  const decodeMs = median(times.decode);
  return {
    bytes: bytes.length,
    floorMs: round(floorMs, 4),
    decodeMs: round(decodeMs, 4),
    ratio: decodeMs / floorMs,
  };
}

/**
 * The OIP codec's JSON request decode (validation included) against `JSON.parse` plus
 * `Float32Array.from` of the same body, in this process, for a 10 KB and a 1 MB FP32 body.
 */
export async function jsonDecode({ log }) {
  const sizes = {
    '10 KB': measure(body(1, 512), false),
    '1 MB': measure(body(1, 52_000), false),
    '1 MB nested in 100 rows': measure(body(100, 520), true),
  };
  for (const [name, m] of Object.entries(sizes)) log(`${name}: ${m.decodeMs} ms ÷ ${m.floorMs} ms`);
  const line = (name, m) =>
    `${name.padEnd(24)} ${(m.bytes / 1e3).toFixed(0).padStart(5)} kB  decode ${m.decodeMs} ms  ` +
    `JSON.parse + Float32Array.from ${m.floorMs} ms`;
  return {
    id: 'json-decode',
    title: 'OIP JSON request decode ÷ JSON.parse + Float32Array.from, FP32',
    figures: [
      figure('JSON decode ÷ JSON.parse + Float32Array.from, 10 KB', sizes['10 KB'].ratio, '<=', 1.5),
      figure('JSON decode ÷ JSON.parse + Float32Array.from, 1 MB', sizes['1 MB'].ratio, '<=', 1.5),
      infoFigure('same, 1 MB nested in 100 rows', sizes['1 MB nested in 100 rows'].ratio),
    ],
    raw: sizes,
    lines: Object.entries(sizes).map(([name, m]) => line(name, m)),
  };
}
