import { type Budget, type BudgetRequest, budgetListSchema, budgetSchema } from '@modelport/contracts';
import { paths } from '../paths.js';
import type { Transport } from '../transport.js';

/** Spending limits per period of the project and of single keys (needs `admin`). */
export class Budgets {
  constructor(private readonly transport: Transport) {}

  setForProject(budget: BudgetRequest): Promise<Budget> {
    return this.transport.json({ method: 'PUT', path: paths.projectBudget(), json: budget }, budgetSchema);
  }

  setForKey(keyId: string, budget: BudgetRequest): Promise<Budget> {
    return this.transport.json({ method: 'PUT', path: paths.keyBudget(keyId), json: budget }, budgetSchema);
  }

  async list(): Promise<Budget[]> {
    return (await this.transport.json({ method: 'GET', path: paths.budgets() }, budgetListSchema)).data;
  }

  get(id: string): Promise<Budget> {
    return this.transport.json({ method: 'GET', path: paths.budget(id) }, budgetSchema);
  }

  remove(id: string): Promise<void> {
    return this.transport.empty({ method: 'DELETE', path: paths.budget(id) });
  }
}
