export { withCachedStatements } from './cached-statements.js';
export { type ChangeNotice, type ChangeNotices, createChangeNotices } from './change-notices.js';
export { type Dialect, type OpenDatabaseOptions, openDatabase, type Store } from './open-database.js';
export type {
  ApiKeysTable,
  ArtifactsTable,
  AuditLogTable,
  BudgetsTable,
  Database,
  DatasetsTable,
  DeploymentRevisionsTable,
  DeploymentRolloutsTable,
  DeploymentsTable,
  HubPullsTable,
  ModelsTable,
  ModelVersionsTable,
  PricesTable,
  ProjectsTable,
  TrainingCheckpointsTable,
  TrainingJobEventsTable,
  TrainingJobsTable,
  UsageEventsTable,
} from './tables.js';
export { isUniqueViolation } from './unique-violation.js';
