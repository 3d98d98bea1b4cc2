import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from '../../auth/index.js';
import { type DeploymentService, routingOf } from '../../deploy/index.js';
import type { InferenceService } from '../../inference/index.js';
import type { InferenceStats } from '../../observability/index.js';
import { AppError, toAppError } from '../../platform/errors/index.js';
import { abortOnClose } from '../../platform/http/index.js';
import { readAlignedInferBody } from './aligned-infer-body.js';
import { renderModelConfig } from './model-config.js';
import { modelStatsRoutes } from './model-stats-routes.js';

export interface OipRouteOptions {
  deployments: DeploymentService;
  inference: InferenceService;
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
  app.addContentTypeParser('*', (req: FastifyRequest, payload: NodeJS.ReadableStream) =>
    readAlignedInferBody(req, payload, opts.maxInferBodyBytes),
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

  /** Parse the HTTP request, infer, render the answer's headers and body. */
  const handleInfer = async (req: FastifyRequest<{ Params: ModelParams }>, reply: FastifyReply) => {
    const header = req.headers['inference-header-content-length'];
    const answer = await opts.inference.infer({
      principal: principalOf(req),
      name: req.params.name,
      version: req.params.version,
      body: req.body as Buffer,
      headerLength: header === undefined ? undefined : Number(header),
      meter: req.usage,
      routing: routingOf(req, reply),
      signal: abortOnClose(reply),
    });
    reply.header(
      'server-timing',
      `queue;dur=${answer.queueMs.toFixed(3)}, infer;dur=${answer.computeMs.toFixed(3)}`,
    );
    if (answer.headerLength !== undefined)
      reply.header('inference-header-content-length', String(answer.headerLength));
    return reply.type(answer.contentType).send(answer.body);
  };
  // Refusals that need no body are answered before it is read (the auth and limit hooks ran already):
  // unknown deployment, every queue full, then the key × model limits, budgets and ledger room.
  const admit = async (req: FastifyRequest<{ Params: ModelParams }>) => {
    await opts.inference.admit(principalOf(req), req.params.name);
    await req.usage?.precheck(req.params.name);
  };
  app.post<{ Params: ModelParams }>(
    '/v2/models/:name/infer',
    { config: infer, preParsing: admit },
    handleInfer,
  );
  app.post<{ Params: ModelParams }>(
    '/v2/models/:name/versions/:version/infer',
    { config: infer, preParsing: admit },
    handleInfer,
  );
};
