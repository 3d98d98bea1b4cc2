import type { Kysely, Selectable } from 'kysely';
import type { ArtifactsTable, Database, DatasetsTable } from '../platform/db/index.js';
import { releaseArtifacts } from '../registry/index.js';

export type DatasetRow = Selectable<DatasetsTable>;
export type ArtifactRow = Selectable<ArtifactsTable>;
/** A row without its schema: what a listing reads. */
export type DatasetListRow = Omit<DatasetRow, 'schema'>;

const LIST_COLUMNS = [
  'id',
  'project_id',
  'name',
  'format',
  'sha256',
  'size_bytes',
  'summary',
  'created_by',
  'created_at',
] as const;

export function createDatasetRepo(db: Kysely<Database>) {
  return {
    /** Records the artifact (once per digest) and the dataset, atomically. */
    async insert(artifact: ArtifactRow, dataset: DatasetRow): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('artifacts')
          .values(artifact)
          .onConflict((oc) => oc.column('sha256').doNothing())
          .execute();
        await trx.insertInto('datasets').values(dataset).execute();
      });
    },
    list(projectId: string): Promise<DatasetListRow[]> {
      return db
        .selectFrom('datasets')
        .select(LIST_COLUMNS)
        .where('project_id', '=', projectId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
    },
    find(projectId: string, id: string): Promise<DatasetRow | undefined> {
      return db
        .selectFrom('datasets')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    getArtifact(sha256: string): Promise<ArtifactRow | undefined> {
      return db.selectFrom('artifacts').selectAll().where('sha256', '=', sha256).executeTakeFirst();
    },
    /** Deletes the dataset; returns its artifact when nothing else points at it any more. */
    delete(row: DatasetRow): Promise<ArtifactRow[]> {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('datasets').where('id', '=', row.id).execute();
        return releaseArtifacts(trx, [row.sha256]);
      });
    },
  };
}

export type DatasetRepo = ReturnType<typeof createDatasetRepo>;
