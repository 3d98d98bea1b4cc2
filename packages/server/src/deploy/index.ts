export { createLlmGateway } from './llm-gateway.js';
export { createDeploymentRepo } from './repo.js';
export { deploymentRoutes } from './routes.js';
export { createDeploymentService, type DeploymentService } from './service.js';
