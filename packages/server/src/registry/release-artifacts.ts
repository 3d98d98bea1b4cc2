import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ArtifactsTable, Database } from '../platform/db/index.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Deletes the `artifacts` rows of `shas` that no model version, dataset or kept training model points at any more, and
 * returns them: their blobs are the caller's to remove once the transaction has committed.
 */
export async function releaseArtifacts(
  trx: Db,
  shas: readonly string[],
): Promise<Selectable<ArtifactsTable>[]> {
  const orphans: Selectable<ArtifactsTable>[] = [];
  for (const sha of new Set(shas)) {
    const version = await trx
      .selectFrom('model_versions')
      .select('id')
      .where('sha256', '=', sha)
      .limit(1)
      .executeTakeFirst();
    if (version) continue;
    const dataset = await trx
      .selectFrom('datasets')
      .select('id')
      .where('sha256', '=', sha)
      .limit(1)
      .executeTakeFirst();
    if (dataset) continue;
    // A training job keeps its unregistered model until it is registered.
    const kept = await trx
      .selectFrom('training_jobs')
      .select('id')
      .where('kept_sha256', '=', sha)
      .limit(1)
      .executeTakeFirst();
    if (kept) continue;
    const artifact = await trx
      .selectFrom('artifacts')
      .selectAll()
      .where('sha256', '=', sha)
      .executeTakeFirst();
    if (!artifact) continue;
    await trx.deleteFrom('artifacts').where('sha256', '=', sha).execute();
    orphans.push(artifact);
  }
  return orphans;
}
