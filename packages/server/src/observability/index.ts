export { DeploymentSeriesSampler, SERIES_INTERVAL_MS } from './deployment-series.js';
export { healthRoutes } from './health-routes.js';
export {
  type InferenceMetrics,
  type InferenceMetricsSeries,
  inferenceMetricsSeries,
} from './inference-metrics.js';
export { InferenceStats, type StatsSeries, type VersionStats } from './inference-stats.js';
export { createMetrics, installMetrics, type Metrics } from './metrics.js';
export { clientRequestIdOf, requestIdFor } from './request-id.js';
export {
  type CounterSeries,
  type HistogramSeries,
  SeriesCounter,
  SeriesHistogram,
} from './series-metrics.js';
