import { Readable } from 'node:stream';
import { usageExportQuery, usageQuery, usageReportSchema } from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../auth/index.js';
import { fromNanos } from './money.js';
import { usageCsv } from './report/usage-csv.js';
import type { UsageDimension, UsageReportRepo } from './report/usage-report-repo.js';

const read = { auth: { scopes: ['manage'] as const } };
const tags = ['usage'];
const utc = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso).toISOString());

/** `GET /api/v1/usage` (sums by project, key, model, version and/or day) and `GET /api/v1/usage/export` (the rows, as CSV). */
export const usageRoutes: FastifyPluginAsyncZod<{ report: UsageReportRepo }> = async (app, { report }) => {
  app.get(
    '/api/v1/usage',
    {
      config: read,
      schema: {
        tags,
        summary: 'Usage of this project, summed by project, key, model, version and/or day (UTC)',
        querystring: usageQuery,
        response: { 200: usageReportSchema },
      },
    },
    async (req) => {
      const q = req.query;
      const dims = q.groupBy.split(',') as UsageDimension[];
      const offset = q.cursor === undefined ? 0 : Number(q.cursor);
      // One group more than asked tells whether another page follows.
      const rows = await report.aggregate(
        {
          projectId: principalOf(req).projectId,
          from: utc(q.from),
          to: utc(q.to),
          keyId: q.key,
          model: q.model,
        },
        dims,
        { offset, limit: q.limit + 1 },
      );
      const more = rows.length > q.limit;
      return {
        from: utc(q.from) ?? null,
        to: utc(q.to) ?? null,
        nextCursor: more ? String(offset + q.limit) : null,
        data: rows.slice(0, q.limit).map(({ costNanos, ...r }) => ({ ...r, cost: fromNanos(costNanos) })),
      };
    },
  );

  app.get(
    '/api/v1/usage/export',
    {
      config: read,
      schema: {
        tags,
        summary: 'Every ledger row of this project as CSV, oldest first',
        querystring: usageExportQuery,
      },
    },
    async (req, reply) => {
      const filter = {
        projectId: principalOf(req).projectId,
        from: utc(req.query.from),
        to: utc(req.query.to),
      };
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="usage.csv"')
        .send(Readable.from(usageCsv(report, filter)));
    },
  );
};
