export { withCachedStatements } from './cached-statements.js';
export { type Dialect, type OpenDatabaseOptions, openDatabase, type Store } from './open-database.js';
export type { Database } from './tables.js';
export { isUniqueViolation } from './unique-violation.js';
