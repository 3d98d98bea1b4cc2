export { createPredictService, meterTarget, type PredictService } from './predict-service.js';
export { predictRoutes, readMultipart } from './routes.js';
export type { PredictRequest, PredictResponse, TaskName } from './spec.js';
