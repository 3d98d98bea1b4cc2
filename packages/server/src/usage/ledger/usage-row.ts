import type { Insertable } from 'kysely';
import type { UsageEventsTable } from '../../platform/db/index.js';

/** One ledger row: one request that reached a model, whatever its outcome. */
export type UsageRow = Insertable<UsageEventsTable>;
