export { createLlmGateway } from './create-llm-gateway.js';
export type { ListedModel, LlmGateway, LlmTarget } from './llm-gateway.js';
export { createDeploymentRepo } from './repo.js';
export { type RequestRouting, routingOf } from './request-routing.js';
export { deploymentRoutes } from './routes.js';
export { createDeploymentService, type DeploymentService } from './service.js';
