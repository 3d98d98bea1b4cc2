export { createProjectRepo } from './repo.js';
export { projectRoutes } from './routes.js';
export { createProjectService, type ProjectService } from './service.js';
