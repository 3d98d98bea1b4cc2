import type { FastifyInstance, FastifyRequest } from 'fastify';
import { principalOf } from '../../auth/index.js';
import type { DeploymentService } from '../../deploy/index.js';
import { InferenceStats, type VersionStats } from '../../observability/index.js';
import { AppError, isAppError } from '../../platform/errors/index.js';
import { renderModelStats } from './render-stats.js';

interface StatsRouteOptions {
  deployments: DeploymentService;
  stats: InferenceStats;
  scopes: { auth: { scopes: readonly ['infer'] } };
}

interface ModelParams {
  name: string;
  version?: string;
}

/**
 * Triton's statistics extension: `GET /v2/models/stats` (every deployment the key may use),
 * `/v2/models/{m}/stats` and `/v2/models/{m}/versions/{v}/stats`. The version served now is always
 * listed (zeros before its first request); earlier versions while they have statistics.
 */
export function modelStatsRoutes(app: FastifyInstance, opts: StatsRouteOptions): void {
  const versionsOf = (name: string, served: number, version?: string): VersionStats[] => {
    const recorded = opts.stats.of(name, version);
    const current = String(served);
    const hasCurrent = recorded.some((s) => s.version === current);
    if (!hasCurrent && (version === undefined || version === current)) {
      recorded.push(InferenceStats.empty(name, current));
    }
    return recorded.sort((a, b) => Number(a.version) - Number(b.version));
  };

  app.get('/v2/models/stats', { config: opts.scopes }, async (req) => {
    const deployments = await opts.deployments.list(principalOf(req));
    return {
      model_stats: deployments.flatMap((d) => versionsOf(d.name, d.version).map(renderModelStats)),
    };
  });

  const modelStats = async (req: FastifyRequest<{ Params: ModelParams }>) => {
    const { name, version } = req.params;
    const deployment = await opts.deployments.get(principalOf(req), name).catch((err: unknown) => {
      if (!isAppError(err) || err.code !== 'deployment_not_found') throw err;
      throw new AppError('model_not_found', `Model '${name}' is not deployed.`);
    });
    const found = versionsOf(name, deployment.version, version);
    if (found.length === 0) {
      throw new AppError(
        'version_not_found',
        `Deployment '${name}' serves version ${deployment.version} and has no statistics of version ${version}.`,
      );
    }
    return { model_stats: found.map(renderModelStats) };
  };
  app.get<{ Params: ModelParams }>('/v2/models/:name/stats', { config: opts.scopes }, modelStats);
  app.get<{ Params: ModelParams }>(
    '/v2/models/:name/versions/:version/stats',
    { config: opts.scopes },
    modelStats,
  );
}
