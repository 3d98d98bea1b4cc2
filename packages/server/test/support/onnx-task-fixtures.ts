import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { AppError } from '../../src/platform/errors/index.js';
import type { OnnxModel } from '../../src/runtime/onnx/index.js';
import { onnxBackend } from '../../src/runtime/onnx/index.js';
import { createOnnxTaskPipeline } from '../../src/runtime/pipelines/onnx-pipeline.js';
import type { TaskPipeline } from '../../src/runtime/pipelines/task-pipeline.js';
import type { OnnxPipelineTask, PredictRequest, PredictResponse } from '../../src/wire/index.js';
import { sharedModel } from './shared-models.js';

type SkipContext = { skip: (note?: string) => void };

/** The version configs the registry stores for the shared models (labels from labels.txt). */
export const mnistConfig = {
  image: { width: 28, height: 28, channels: 'gray', layout: 'NCHW', scale: 1, dtype: 'FP32' },
  labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  outputKind: 'logits',
};

export function squeezenetConfig(labelsFile: string) {
  return {
    image: { width: 224, height: 224, channels: 'BGR', layout: 'NCHW', scale: 1, dtype: 'FP16' },
    labels: readLabels(labelsFile),
    outputKind: 'probabilities',
  };
}

/** `index,label[, synonyms]` per line: the label is the second field. */
export function readLabels(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(',')[1]?.trim() ?? '');
}

const models: OnnxModel[] = [];

export async function loadModel(file: string): Promise<OnnxModel> {
  const model = await onnxBackend.load({ path: file, threads: 1, options: {} });
  models.push(model);
  return model;
}

export async function unloadModels(): Promise<void> {
  await Promise.all(models.splice(0).map((m) => m.unload()));
}

/** A pipeline around a real model whose `infer` calls the model directly. */
export function pipelineFor(task: OnnxPipelineTask, config: unknown, model: OnnxModel): TaskPipeline {
  return createOnnxTaskPipeline(task, config, model.info(), (request) => model.infer(request));
}

export async function mnistPipeline(ctx: SkipContext): Promise<TaskPipeline> {
  const model = await loadModel(sharedModel('mnist/mnist.onnx', ctx));
  return pipelineFor('image-classification', mnistConfig, model);
}

export async function squeezenetPipeline(ctx: SkipContext): Promise<TaskPipeline> {
  const labels = sharedModel('squeezenet1.0-fp16/labels.txt', ctx);
  const model = await loadModel(sharedModel('squeezenet1.0-fp16/SqueezeNet_fp16.onnx', ctx));
  return pipelineFor('image-classification', squeezenetConfig(labels), model);
}

export function predict(pipeline: TaskPipeline, request: PredictRequest): Promise<PredictResponse> {
  return pipeline.run(request, new AbortController().signal);
}

export function imageRequest(bytes: Uint8Array, topK?: number): PredictRequest {
  return {
    task: 'image-classification',
    image: Buffer.from(bytes).toString('base64'),
    ...(topK === undefined ? {} : { topK }),
  };
}

/** Awaits a rejection and checks its catalog code, HTTP status and message. */
export async function expectAppError(
  work: Promise<unknown>,
  expected: { code: string; status: number; message: RegExp },
): Promise<AppError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  const appErr = err as AppError;
  expect({ code: appErr.code, status: appErr.status, message: appErr.message }).toEqual({
    ...expected,
    message: expect.stringMatching(expected.message),
  });
  return appErr;
}

/** A scratch folder for generated model files. */
export async function scratchDir(): Promise<{
  dir: string;
  write: (name: string, bytes: Uint8Array) => Promise<string>;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-tasks-'));
  return {
    dir,
    async write(name, bytes) {
      const file = path.join(dir, name);
      await writeFile(file, bytes);
      return file;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
