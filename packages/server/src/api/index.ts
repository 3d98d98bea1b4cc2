export { oipRoutes } from './oip/routes.js';
export { createLlmMetrics, openaiRoutes } from './openai/index.js';
export { transcriptionRoutes } from './openai/transcriptions-route.js';
