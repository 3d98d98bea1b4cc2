export type { ListedModel, LlmGateway, LlmTarget } from '../../deploy/index.js';
export { createLlmMetrics, type LlmMetrics } from './llm-metrics.js';
export { type OpenAiRouteOptions, openaiRoutes } from './routes.js';
