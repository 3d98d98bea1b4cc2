export { installAudit } from './hook.js';
export { createAuditRepo } from './repo.js';
export { auditRoutes } from './routes.js';
export { type AuditService, createAuditService } from './service.js';
