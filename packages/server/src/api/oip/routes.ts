import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from '../../auth/index.js';
import type { DeploymentService } from '../../deploy/index.js';
import type { Engine } from '../../engine/index.js';
import type { InferenceMetrics, InferenceStats } from '../../observability/index.js';
import { AppError, toAppError } from '../../platform/errors/index.js';
import { abortOnClose } from '../../platform/http/index.js';
import { parseInferRequest, renderInferResponse } from '../../wire/oip/index.js';
import { forwardInfer } from './forward-infer.js';
import { renderModelConfig } from './model-config.js';
import { modelStatsRoutes } from './model-stats-routes.js';

export interface OipRouteOptions {
  deployments: DeploymentService;
  engine: Engine;
  metrics: InferenceMetrics;
  stats: InferenceStats;
  serverVersion: string;
  maxInferBodyBytes: number;
  isReady: () => Promise<boolean>;
}

interface ModelParams {
  name: string;
  version?: string;
}

const infer = { auth: { scopes: ['infer'] as const } };

/** Open Inference Protocol v2 REST (KServe / Triton), with the binary tensor extension. */
export const oipRoutes: FastifyPluginAsync<OipRouteOptions> = async (app, opts) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.maxInferBodyBytes }, (_r, body, done) =>
    done(null, body),
  );

  app.get('/v2/health/live', { config: { auth: false } }, async () => ({ live: true }));
  app.get('/v2/health/ready', { config: { auth: false } }, async (_req, reply) =>
    (await opts.isReady()) ? { ready: true } : reply.code(503).send({ ready: false }),
  );
  app.get('/v2', { config: infer }, async () => ({
    name: 'modelport',
    version: opts.serverVersion,
    extensions: ['binary_tensor_data', 'model_configuration', 'statistics'],
  }));

  /** The pool serving the path's model (and version) and what its runners reported of the model. */
  const served = async (req: FastifyRequest<{ Params: ModelParams }>) => {
    const { pool } = await opts.deployments.servingPool(
      principalOf(req),
      req.params.name,
      req.params.version,
    );
    const info = pool.info;
    if (!info)
      throw new AppError('model_not_ready', `Model '${req.params.name}' is not ready.`, { retryAfterS: 1 });
    return { pool, info };
  };

  const metadata = async (req: FastifyRequest<{ Params: ModelParams }>) => {
    const { pool, info } = await served(req);
    return {
      name: req.params.name,
      versions: [String(pool.plan.version)],
      platform: info.platform,
      inputs: info.inputs,
      outputs: info.outputs,
    };
  };
  app.get<{ Params: ModelParams }>('/v2/models/:name', { config: infer }, metadata);
  app.get<{ Params: ModelParams }>('/v2/models/:name/versions/:version', { config: infer }, metadata);

  const modelConfig = async (req: FastifyRequest<{ Params: ModelParams }>) => {
    const { pool, info } = await served(req);
    return renderModelConfig(req.params.name, pool.plan, info);
  };
  app.get<{ Params: ModelParams }>('/v2/models/:name/config', { config: infer }, modelConfig);
  app.get<{ Params: ModelParams }>(
    '/v2/models/:name/versions/:version/config',
    { config: infer },
    modelConfig,
  );
  modelStatsRoutes(app, { deployments: opts.deployments, stats: opts.stats, scopes: infer });

  const ready = async (req: FastifyRequest<{ Params: ModelParams }>, reply: FastifyReply) => {
    const { pool } = await opts.deployments
      .servingPool(principalOf(req), req.params.name, req.params.version, { load: false })
      .catch((err: unknown) => {
        const e = toAppError(err);
        if (e.code === 'model_not_ready') return { pool: undefined };
        throw e;
      });
    const isReady = pool?.ready ?? false;
    return reply.code(isReady ? 200 : 400).send({ name: req.params.name, ready: isReady });
  };
  app.get<{ Params: ModelParams }>('/v2/models/:name/ready', { config: infer }, ready);
  app.get<{ Params: ModelParams }>('/v2/models/:name/versions/:version/ready', { config: infer }, ready);

  const handleInfer = async (req: FastifyRequest<{ Params: ModelParams }>, reply: FastifyReply) => {
    const { pool } = await opts.deployments.servingPool(
      principalOf(req),
      req.params.name,
      req.params.version,
    );
    const labels = { model: req.params.name, version: String(pool.plan.version) };
    const startedAt = performance.now();
    try {
      const header = req.headers['inference-header-content-length'];
      const headerLength = header === undefined ? undefined : Number(header);
      const body = req.body as Buffer;
      const parsed = parseInferRequest(body, headerLength);
      await req.usage?.reach({
        deployment: req.params.name,
        model: pool.plan.modelName,
        version: pool.plan.version,
        endpoint: 'oip.infer',
      });
      const signal = abortOnClose(reply);
      const result = await forwardInfer(
        opts.engine,
        pool,
        {
          ...(parsed.id === undefined ? {} : { id: parsed.id }),
          inputs: parsed.inputs,
          ...(parsed.outputs ? { outputs: parsed.outputs.map((o) => o.name) } : {}),
        },
        pool.plan.settings.timeoutMs,
        signal,
        headerLength === undefined ? undefined : { body, headerLength },
      );
      const answeredAt = performance.now();
      const rendered = wantsAllBinary(parsed)
        ? { body: result.body, headerLength: result.headerLength, contentType: 'application/octet-stream' }
        : renderInferResponse({
            modelName: req.params.name,
            modelVersion: labels.version,
            ...(parsed.id === undefined ? {} : { id: parsed.id }),
            outputs: result.outputs(),
            binaryOutputs: binaryOutputNames(parsed),
          });
      const renderedAt = performance.now();
      req.usage?.timing(result.queueMs, result.computeMs);
      opts.stats.success(labels.model, labels.version, {
        rows: pool.info?.batchable ? (parsed.inputs[0]?.shape[0] ?? 1) : 1,
        batchSize: result.batchSize,
        batchRequests: result.batchRequests,
        totalMs: renderedAt - startedAt,
        queueMs: result.queueMs,
        // What the API did around the runner's round trip: parse and send, then render.
        inputMs: Math.max(0, answeredAt - startedAt - result.queueMs - result.computeMs),
        computeMs: result.computeMs,
        outputMs: renderedAt - answeredAt,
      });
      opts.metrics.success.inc(labels);
      opts.metrics.queueSeconds.observe(labels, result.queueMs / 1000);
      opts.metrics.computeSeconds.observe(labels, result.computeMs / 1000);
      opts.metrics.batchSize.observe(labels, result.batchSize);
      reply.header(
        'server-timing',
        `queue;dur=${result.queueMs.toFixed(3)}, infer;dur=${result.computeMs.toFixed(3)}`,
      );
      if (rendered.headerLength !== undefined)
        reply.header('inference-header-content-length', String(rendered.headerLength));
      return reply.type(rendered.contentType).send(rendered.body);
    } catch (err) {
      opts.metrics.failure.inc({ ...labels, code: toAppError(err).code });
      opts.stats.failure(labels.model, labels.version, performance.now() - startedAt);
      throw err;
    }
  };
  app.post<{ Params: ModelParams }>('/v2/models/:name/infer', { config: infer }, handleInfer);
  app.post<{ Params: ModelParams }>(
    '/v2/models/:name/versions/:version/infer',
    { config: infer },
    handleInfer,
  );
};

type ParsedRequest = ReturnType<typeof parseInferRequest>;

/** Every output binary: the runner's answer (all binary, same model, version and id) goes out as is. */
function wantsAllBinary(parsed: ParsedRequest): boolean {
  return parsed.outputs ? parsed.outputs.every((o) => o.binary) : parsed.binaryOutputDefault;
}

/** Outputs the caller asked for as binary; with no list, the request-level default decides. */
function binaryOutputNames(parsed: ParsedRequest): ReadonlySet<string> | 'all' | 'none' {
  if (!parsed.outputs) return parsed.binaryOutputDefault ? 'all' : 'none';
  return new Set(parsed.outputs.filter((o) => o.binary).map((o) => o.name));
}
