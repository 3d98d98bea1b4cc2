import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TrainingSpecInput } from '@modelport/contracts';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTrainedModel, useTrainingBackend } from '../src/trainer/index.js';
import type { TrainerMessage, TrainerWorkerInput } from '../src/wire/training/index.js';
import { irisRecords } from './support/datasets.js';
import { tableFrame } from './support/table-frame.js';
import { useTempDir } from './support/temp-dir.js';

/** The compiled worker entry, as the API side starts it: a worker thread, or a forked child. */
const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/trainer/trainer-main.js');
const tempDir = useTempDir('trainer-worker');
const iris = tableFrame(irisRecords());
const spec: TrainingSpecInput = {
  datasetId: 'iris',
  target: 'species',
  epochs: 3,
  optimizer: { type: 'adam', learningRate: 0.02 },
};

async function input(change: Partial<TrainerWorkerInput> = {}): Promise<TrainerWorkerInput> {
  return {
    spec,
    source: { kind: 'frame', frame: iris },
    checkpointDir: await tempDir(),
    threads: 1,
    ...change,
  };
}

/** Runs a worker thread to its end; `onMessage` may talk back. */
function runThread(workerData: TrainerWorkerInput, onMessage?: (m: TrainerMessage, worker: Worker) => void) {
  // execArgv: [] drops the test runner's `--conditions source` (the compiled worker imports dist/).
  const worker = new Worker(entry, { workerData, execArgv: [] });
  const messages: TrainerMessage[] = [];
  return new Promise<{ messages: TrainerMessage[]; exitCode: number }>((resolve, reject) => {
    worker.on('message', (m: TrainerMessage) => {
      messages.push(m);
      onMessage?.(m, worker);
    });
    worker.on('error', reject);
    worker.on('exit', (exitCode) => resolve({ messages, exitCode }));
  });
}

const last = (messages: TrainerMessage[]) => messages.at(-1) as TrainerMessage;

describe('training worker', () => {
  beforeAll(() => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  });

  it('trains in a worker thread and hands back a model that predicts what it reported', async () => {
    const { messages, exitCode } = await runThread(await input());
    expect(exitCode).toBe(0);
    expect(
      messages.filter((m) => m.type === 'epoch').map((m) => m.type === 'epoch' && m.epoch.epoch),
    ).toEqual([1, 2, 3]);
    expect(messages.some((m) => m.type === 'log' && /rows .* on wasm/.test(m.message))).toBe(true);
    const done = last(messages);
    if (done.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(done)}`);
    const { model, validation } = done.result;
    const weights = model.weightSpecs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    expect(model.weightData.byteLength).toBe(weights * 4);

    await useTrainingBackend('wasm', 1);
    const rebuilt = await loadTrainedModel(model);
    const rows = validation.rows.length;
    const predicted = tf.tidy(
      () => rebuilt.predict(tf.tensor(validation.inputs, [rows, ...model.inputShape])) as tf.Tensor,
    );
    const values = (await predicted.data()) as Float32Array;
    predicted.dispose();
    rebuilt.dispose();
    expect(values).toHaveLength(validation.outputs.length);
    for (let i = 0; i < values.length; i++)
      expect(Math.abs((values[i] as number) - (validation.outputs[i] as number))).toBeLessThan(1e-5);
  });

  it('stops on cancel between batches and reports it', async () => {
    const { messages, exitCode } = await runThread(
      await input({ spec: { ...spec, epochs: 50 } }),
      (m, worker) => {
        if (m.type === 'epoch' && m.epoch.epoch === 1) worker.postMessage({ type: 'cancel' });
      },
    );
    expect(exitCode).toBe(0);
    expect(last(messages)).toMatchObject({ type: 'failed', error: { code: 'training_cancelled' } });
    expect(messages.filter((m) => m.type === 'epoch').length).toBeLessThan(50);
  });

  it('fails with the catalog code and the field at fault', async () => {
    const { messages } = await runThread(await input({ spec: { ...spec, batchSize: 0 } }));
    expect(last(messages)).toMatchObject({
      type: 'failed',
      error: { code: 'validation_failed', param: 'batchSize' },
    });
    const file = await runThread(
      await input({ source: { kind: 'file', format: 'csv', path: '/nowhere/iris.csv' } }),
    );
    expect(last(file.messages)).toMatchObject({
      type: 'failed',
      error: { code: 'invalid_dataset', param: 'datasetId' },
    });
  });

  it('runs as a forked child process too', async () => {
    const child: ChildProcess = fork(entry, [], {
      serialization: 'advanced',
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const messages: TrainerMessage[] = [];
    child.on('message', (m: TrainerMessage) => messages.push(m));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.send({ type: 'start', input: await input({ spec: { ...spec, epochs: 1 } }) });
    expect(await exited).toBe(0);
    const done = last(messages);
    if (done.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(done)}`);
    expect(done.result.validation.outputs).toBeInstanceOf(Float32Array);
    expect(done.result.model.weightData).toBeInstanceOf(ArrayBuffer);
  });
});
