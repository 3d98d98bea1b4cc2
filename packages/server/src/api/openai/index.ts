export type { ListedModel, LlmGateway, LlmTarget } from './llm-gateway.js';
export { createLlmMetrics, type LlmMetrics } from './llm-metrics.js';
export { type OpenAiRouteOptions, openaiRoutes } from './routes.js';
