import type { FastifyPluginAsync } from 'fastify';
import { parseInferRequest, renderInferResponse } from '../../wire/oip/index.js';
import { SHARED_MEMORY_MIN_BYTES, sharedMemoryHeaders } from '../../wire/runner/index.js';
import { queueOptions } from './queue-options.js';
import type { RunnerServerSpec } from './runner-server-spec.js';
import type { ServedModel } from './served-model.js';
import { SharedMemoryRegions } from './shared-memory-regions.js';

/**
 * Tensor models: OIP v2 with binary tensors. From the parent API process, large binary sections
 * may come and go through shared memory instead of the socket. Bodies stay bytes here (the
 * codec reads JSON and binary OIP alike), so this plugin has its own content-type parser.
 */
export const tensorRoutes: FastifyPluginAsync<{ spec: RunnerServerSpec; model: ServedModel }> = async (
  app,
  { spec, model },
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.get('/v2/models/:name', async () => ({
    name: spec.modelName,
    versions: [spec.modelVersion],
    ...model.info(),
  }));
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
    const outputs = parsed.outputs?.map((o) => o.name);
    const result = await model.infer(
      { inputs: parsed.inputs, ...(outputs ? { outputs } : {}) },
      queueOptions(spec, request, reply),
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
};

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
