import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './0001-initial.js';
import { deployments } from './0002-deployments.js';
import { keyLimits } from './0003-key-limits.js';
import { usage } from './0004-usage.js';
import { tenancyAudit } from './0005-tenancy-audit.js';
import { deploymentRevisions } from './0006-deployment-revisions.js';
import { deploymentRollouts } from './0007-deployment-rollouts.js';
import { datasets } from './0008-datasets.js';
import { hubPulls } from './0009-hub-pulls.js';
import { trainingJobs } from './0010-training-jobs.js';
import { trainingKeptModels } from './0011-training-kept-models.js';

/** Ordered by name; never edit a released migration, add the next one. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-deployments': deployments,
  '0003-key-limits': keyLimits,
  '0004-usage': usage,
  '0005-tenancy-audit': tenancyAudit,
  '0006-deployment-revisions': deploymentRevisions,
  '0007-deployment-rollouts': deploymentRollouts,
  '0008-datasets': datasets,
  '0009-hub-pulls': hubPulls,
  '0010-training-jobs': trainingJobs,
  '0011-training-kept-models': trainingKeptModels,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
