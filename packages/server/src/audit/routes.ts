import { auditListSchema, auditQuery } from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../auth/index.js';
import type { AuditService } from './service.js';

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '/api/v1/audit',
    {
      config: { auth: { scopes: ['admin'] } },
      schema: {
        tags: ['audit'],
        summary: "The project's management actions, newest first",
        description:
          'Page with `limit` and `before` (the previous page’s `nextCursor`); filter with `action`. ' +
          'An `org_admin` key may pass `project` for another project of its organization.',
        querystring: auditQuery,
        response: { 200: auditListSchema },
      },
    },
    async (req) => audit.list(principalOf(req), req.query),
  );
};
