import { budgetListSchema, budgetRequest, budgetSchema } from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../auth/index.js';
import type { BudgetService } from './budget-service.js';

const admin = { auth: { scopes: ['admin'] as const } };
const idParams = z.object({ id: z.string().min(1).max(100) });
const tags = ['budgets'];

/** Spending limits per period for the project and for single keys; over one → 429 `insufficient_quota`. */
export const budgetRoutes: FastifyPluginAsyncZod<{ budgets: BudgetService }> = async (app, { budgets }) => {
  app.put(
    '/api/v1/budgets/project',
    {
      config: { ...admin, audit: 'budget.set' },
      schema: {
        tags,
        summary: 'Set the budget of this project (spending so far is kept)',
        body: budgetRequest,
        response: { 200: budgetSchema },
      },
    },
    async (req) => budgets.putProject(principalOf(req), req.body),
  );
  app.put(
    '/api/v1/budgets/keys/:id',
    {
      config: { ...admin, audit: 'budget.set' },
      schema: {
        tags,
        summary: 'Set the budget of one API key',
        params: idParams,
        body: budgetRequest,
        response: { 200: budgetSchema },
      },
    },
    async (req) => budgets.putKey(principalOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/v1/budgets',
    {
      config: admin,
      schema: { tags, summary: 'Budgets of this project and its keys', response: { 200: budgetListSchema } },
    },
    async (req) => ({ data: await budgets.list(principalOf(req)) }),
  );
  app.get(
    '/api/v1/budgets/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'One budget, with what is spent',
        params: idParams,
        response: { 200: budgetSchema },
      },
    },
    async (req) => budgets.get(principalOf(req), req.params.id),
  );
  app.delete(
    '/api/v1/budgets/:id',
    {
      config: { ...admin, audit: 'budget.delete' },
      schema: { tags, summary: 'Remove a budget', params: idParams },
    },
    async (req, reply) => {
      await budgets.delete(principalOf(req), req.params.id);
      return reply.code(204).send();
    },
  );
};
