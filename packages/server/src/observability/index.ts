export { healthRoutes } from './health-routes.js';
export { createMetrics, installMetrics, type Metrics } from './metrics.js';
export { clientRequestIdOf, requestIdFor } from './request-id.js';
