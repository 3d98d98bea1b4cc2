export { healthRoutes } from './health-routes.js';
export { createMetrics, installMetrics, type Metrics } from './metrics.js';
export { requestIdFor } from './request-id.js';
