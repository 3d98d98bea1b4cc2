import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { createLlmMetrics, oipRoutes, openaiRoutes, transcriptionRoutes } from '../api/index.js';
import { auditRoutes } from '../audit/index.js';
import { keyRoutes } from '../auth/index.js';
import { datasetRoutes } from '../datasets/index.js';
import {
  createLlmGateway,
  deploymentRoutes,
  deploymentSeriesRoute,
  registerFailoverMetrics,
  rolloutRoutes,
  shadowRoutes,
} from '../deploy/index.js';
import {
  registerColdStartMetrics,
  registerMemoryMetrics,
  registerSequenceMetrics,
  registerSharedMemoryMetrics,
} from '../engine/index.js';
import { createInferenceService } from '../inference/index.js';
import {
  clientRequestIdOf,
  DeploymentSeriesSampler,
  healthRoutes,
  installMetrics,
  requestIdFor,
} from '../observability/index.js';
import { installErrorHandling, refuseUndeclaredParameters } from '../platform/http/index.js';
import { projectRoutes } from '../projects/index.js';
import { registryRoutes } from '../registry/index.js';
import { createPredictService, predictRoutes } from '../tasks/index.js';
import { trainingRoutes } from '../training/index.js';
import { budgetRoutes, priceRoutes, registerLedgerMetrics, usageRoutes } from '../usage/index.js';
import { registerApiDocs } from './api-docs.js';
import { consoleBuildDir, consoleRoutes } from './console-routes.js';
import type { Platform } from './create-platform.js';
import { type GatewayMode, installGateway } from './install-gateway.js';
import type { TlsMaterial } from './tls-files.js';

/** Everything the platform wires, but the clock (HTTP reads none), plus the version it reports. */
export type AppDeps = Omit<Platform, 'clock'> & {
  version: string;
  /** HTTPS certificate and key; absent: plain HTTP. */
  tls?: TlsMaterial | undefined;
  /** Set once the server starts shutting down: readiness answers 503 from then on. */
  lifecycle?: { draining: boolean } | undefined;
};

/**
 * The HTTP surface, separate from process start-up so tests drive it with `inject` or a loopback port.
 * `mode` is for measurement only (see `GatewayMode`); serving always uses the default.
 */
export async function buildApp(
  deps: AppDeps,
  mode: GatewayMode = { gateway: true },
): Promise<FastifyInstance> {
  // With `https` Fastify types the instance by its https.Server; the routes and hooks are the same.
  const app = Fastify({
    ...(deps.tls ? { https: deps.tls } : {}),
    loggerInstance: deps.log,
    genReqId: requestIdFor,
    bodyLimit: deps.config.limits.maxJsonBodyBytes,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Long names reach the handler and get a catalogued 404 rather than the router's bare 414.
    routerOptions: { maxParamLength: 1024 },
  }) as unknown as FastifyInstance;
  // Management routes speak JSON; a text body is a wrong media type, not a wrong field.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Hooks on every request's path take `done` rather than being async: no promise or extra turn per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const clientId = clientRequestIdOf(request.raw);
    if (clientId) reply.header('x-client-request-id', clientId);
    done();
  });
  installErrorHandling(app);
  refuseUndeclaredParameters(app);
  installGateway(app, deps, mode);
  await registerApiDocs(app, deps.version);
  installMetrics(app, deps.metrics, deps.config.metrics.public);
  await app.register(healthRoutes, { store: deps.store, draining: () => deps.lifecycle?.draining ?? false });
  await app.register(keyRoutes, { keys: deps.keys });
  await app.register(projectRoutes, { projects: deps.projects, keys: deps.keys });
  await app.register(auditRoutes, { audit: deps.audit });
  await app.register(registryRoutes, { registry: deps.registry, pulls: deps.pulls });
  await app.register(datasetRoutes, { datasets: deps.datasets });
  await app.register(deploymentRoutes, { deployments: deps.deployments });
  // Samples the metrics below into per-deployment time series (bounded; docs/console.md).
  const series = new DeploymentSeriesSampler(deps.metrics.registry);
  series.start();
  app.addHook('onClose', async () => series.stop());
  await app.register(deploymentSeriesRoute, { deployments: deps.deployments, series });
  await app.register(shadowRoutes, { shadows: deps.shadows });
  await app.register(rolloutRoutes, { rollouts: deps.rollouts });
  await app.register(priceRoutes, { prices: deps.prices });
  await app.register(budgetRoutes, { budgets: deps.budgets });
  await app.register(usageRoutes, { report: deps.usageReport });
  await app.register(trainingRoutes, {
    jobs: deps.training.service,
    repo: deps.training.repo,
    journal: deps.training.journal,
    clock: deps.training.clock,
  });
  registerSequenceMetrics(deps.metrics.registry, deps.engine);
  registerSharedMemoryMetrics(deps.metrics.registry, deps.engine);
  registerMemoryMetrics(deps.metrics.registry, deps.engine);
  registerColdStartMetrics(deps.metrics.registry, deps.engine);
  registerLedgerMetrics(deps.metrics.registry, deps.ledger);
  registerFailoverMetrics(deps.metrics.registry, deps.deployments.failover);
  await app.register(openaiRoutes, {
    gateway: createLlmGateway({ deployments: deps.deployments, engine: deps.engine, streams: deps.rollouts }),
    metrics: createLlmMetrics(deps.metrics.registry),
    keepAliveMs: deps.config.streamKeepAliveMs,
  });
  const predict = createPredictService({ deployments: deps.deployments, engine: deps.engine });
  const maxBodyBytes = deps.config.limits.maxInferBodyBytes;
  await app.register(predictRoutes, { predict, maxBodyBytes });
  await app.register(transcriptionRoutes, { predict, maxBodyBytes });
  const inference = createInferenceService({
    deployments: deps.deployments,
    engine: deps.engine,
    metrics: deps.metrics.inference,
    stats: deps.metrics.inferenceStats,
  });
  await app.register(oipRoutes, {
    deployments: deps.deployments,
    inference,
    stats: deps.metrics.inferenceStats,
    serverVersion: deps.version,
    maxInferBodyBytes: deps.config.limits.maxInferBodyBytes,
    isReady: async () => {
      await sql`select 1`.execute(deps.store.db);
      return true;
    },
  });
  if (deps.config.console.enabled) {
    const dir = consoleBuildDir();
    if (dir) await app.register(consoleRoutes, { dir });
    else deps.log.warn('the web console is not built (npm run build); /console/ is not served');
  }
  return app;
}
