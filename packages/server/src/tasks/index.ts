export type { PredictRequest, PredictResponse, TaskName } from '../wire/index.js';
export { createPredictService, meterTarget, type PredictService } from './predict-service.js';
export { predictRoutes, readMultipart } from './routes.js';
