import type { FastifyInstance } from 'fastify';
import { AppError } from '../../platform/errors/index.js';
import { abortOnClose } from '../../platform/http/index.js';
import type { ModelInfo, PredictRequest } from '../../wire/index.js';
import { parseInferRequest, renderInferResponse } from '../../wire/oip/index.js';
import type { RunnerSpec } from '../../wire/runner/index.js';
import { SHARED_MEMORY_MIN_BYTES, sharedMemoryHeaders } from '../../wire/runner/index.js';
import type { DynamicBatcher } from '../batching/index.js';
import { createOnnxTaskPipeline, isOnnxTask } from '../pipelines/onnx-pipeline.js';
import type { TaskPipeline } from '../pipelines/task-pipeline.js';
import { createRunnerApp } from './runner-app.js';
import { SharedMemoryRegions } from './shared-memory-regions.js';

/**
 * The runner's side of the internal protocol: OIP v2 with binary tensors over HTTP, on a Unix
 * socket locally (TCP in a cluster). Timing and batch size travel back in `x-*` headers. From the
 * parent API process, large binary sections may come and go through shared memory instead.
 */
export function buildRunnerServer(
  spec: RunnerSpec,
  info: ModelInfo,
  batcher: DynamicBatcher,
): FastifyInstance {
  const pipeline = taskPipelineOf(spec, info, batcher);
  const app = createRunnerApp('runner', spec.maxBodyBytes);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.get('/v2/models/:name', async () => ({ name: spec.modelName, versions: [spec.modelVersion], ...info }));
  const regions = new SharedMemoryRegions(process.ppid);
  app.addHook('onClose', async () => regions.close());
  app.post('/v2/models/:name/infer', async (request, reply) => {
    const header = request.headers['inference-header-content-length'];
    const region = headerText(request.headers[sharedMemoryHeaders.region]);
    const inputBytes = headerText(request.headers[sharedMemoryHeaders.inputBytes]);
    const parsed = parseInferRequest(
      request.body as Buffer,
      header === undefined ? undefined : Number(header),
      {},
      region && inputBytes ? regions.read(region, Number(inputBytes)) : undefined,
    );
    const timeoutMs = Number(request.headers['x-timeout-ms'] ?? spec.timeoutMs);
    const signal = abortOnClose(reply);
    const outputs = parsed.outputs?.map((o) => o.name);
    const result = await batcher.submit(
      { inputs: parsed.inputs, ...(outputs ? { outputs } : {}) },
      { timeoutMs, signal: signal },
    );
    const rendered = renderInferResponse({
      modelName: spec.modelName,
      modelVersion: spec.modelVersion,
      ...(parsed.id === undefined ? {} : { id: parsed.id }),
      outputs: result.outputs,
      binaryOutputs: 'all',
    });
    reply
      .header('x-queue-ms', result.queueMs.toFixed(3))
      .header('x-compute-ms', result.computeMs.toFixed(3))
      .header('x-batch-size', String(result.batchSize))
      .header('x-batch-requests', String(result.batchRequests))
      .type(rendered.contentType);
    const headerLength = rendered.headerLength ?? rendered.body.length;
    reply.header('inference-header-content-length', String(headerLength));
    if (region && rendered.body.length - headerLength >= SHARED_MEMORY_MIN_BYTES) {
      // A full /dev/shm leaves the answer to the socket.
      const written = tryWrite(regions, region, rendered.body.subarray(headerLength));
      if (written) {
        reply.header(sharedMemoryHeaders.outputBytes, String(rendered.body.length - headerLength));
        return reply.send(rendered.body.subarray(0, headerLength));
      }
    }
    return reply.send(rendered.body);
  });
  app.post('/v1/predict', async (request, reply) => {
    if (!pipeline)
      throw new AppError(
        'task_not_supported',
        `Model '${spec.modelName}' has no task pipeline; send tensors to /v2/models/${spec.modelName}/infer.`,
      );
    const body = jsonBody(request.body);
    const signal = abortOnClose(reply);
    return reply.send(await pipeline.run(body as PredictRequest, signal));
  });
  return app;
}

/**
 * The pipeline for `spec.options.task` configured by `spec.options.taskConfig` (the version
 * config), or none for other tasks. A config that does not fit the model throws, so the runner
 * fails at start with the reason instead of failing every request.
 */
function taskPipelineOf(
  spec: RunnerSpec,
  info: ModelInfo,
  batcher: DynamicBatcher,
): TaskPipeline | undefined {
  const { task, taskConfig = {} } = spec.options;
  if (!isOnnxTask(task)) return undefined;
  // The pipeline validates its request body; the deadline is the runner's default timeout.
  return createOnnxTaskPipeline(task, taskConfig, info, (req, signal) => batcher.submit(req, { signal }));
}

function tryWrite(regions: SharedMemoryRegions, region: string, data: Buffer): boolean {
  try {
    regions.write(region, data);
    return true;
  } catch {
    return false;
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The content-type parser above hands every body over as bytes; predict bodies are JSON. */
function jsonBody(body: unknown): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('invalid_json', `The predict body is not valid JSON: ${(err as Error).message}`);
  }
}
