export { rowsTensor } from './rows-tensor.js';
export { createTabularPipeline } from './tabular-pipeline.js';
export { type TabularPrediction, tabularPredictions } from './tabular-predictions.js';
export { MAX_TABULAR_ROWS } from './tabular-request.js';
