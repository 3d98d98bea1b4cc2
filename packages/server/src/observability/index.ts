export { DeploymentSeriesSampler, SERIES_INTERVAL_MS } from './deployment-series.js';
export { healthRoutes } from './health-routes.js';
export type { InferenceMetrics } from './inference-metrics.js';
export { InferenceStats, type VersionStats } from './inference-stats.js';
export { createMetrics, installMetrics, type Metrics } from './metrics.js';
export { clientRequestIdOf, requestIdFor } from './request-id.js';
