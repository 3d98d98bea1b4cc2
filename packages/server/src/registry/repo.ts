import { type Kysely, type Selectable, sql } from 'kysely';
import type { ArtifactsTable, Database, ModelsTable, ModelVersionsTable } from '../platform/db/index.js';
import { releaseArtifacts } from './release-artifacts.js';

export type ModelRow = Selectable<ModelsTable>;
export type VersionRow = Selectable<ModelVersionsTable>;
export type ArtifactRow = Selectable<ArtifactsTable>;

export function createRegistryRepo(db: Kysely<Database>) {
  return {
    findModel(projectId: string, name: string): Promise<ModelRow | undefined> {
      return db
        .selectFrom('models')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('name', '=', name)
        .executeTakeFirst();
    },
    listModels(projectId: string): Promise<ModelRow[]> {
      return db
        .selectFrom('models')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('name')
        .execute();
    },
    async insertModel(row: ModelRow): Promise<void> {
      await db.insertInto('models').values(row).execute();
    },
    /** Deletes the model with its versions and aliases; returns artifacts no version uses any more. */
    deleteModel(modelId: string): Promise<ArtifactRow[]> {
      return db.transaction().execute(async (trx) => {
        const shas = await trx
          .selectFrom('model_versions')
          .select('sha256')
          .where('model_id', '=', modelId)
          .execute();
        await trx.deleteFrom('aliases').where('model_id', '=', modelId).execute();
        await trx.deleteFrom('model_versions').where('model_id', '=', modelId).execute();
        await trx.deleteFrom('models').where('id', '=', modelId).execute();
        return releaseArtifacts(
          trx,
          shas.map((s) => s.sha256),
        );
      });
    },
    async latestVersions(modelIds: string[]): Promise<Map<string, number>> {
      if (modelIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('model_versions')
        .select(['model_id', (eb) => eb.fn.max('version').as('latest')])
        .where('model_id', 'in', modelIds)
        .groupBy('model_id')
        .execute();
      return new Map(rows.map((r) => [r.model_id, Number(r.latest)]));
    },
    aliases(modelIds: string[]): Promise<{ model_id: string; name: string; version: number }[]> {
      if (modelIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('aliases')
        .select(['model_id', 'name', 'version'])
        .where('model_id', 'in', modelIds)
        .orderBy('name')
        .execute();
    },
    /** Records the artifact (once per digest) and the next version number, atomically. */
    insertVersion(artifact: ArtifactRow, version: Omit<VersionRow, 'version'>): Promise<VersionRow> {
      return db.transaction().execute(async (trx) => {
        await trx
          .insertInto('artifacts')
          .values(artifact)
          .onConflict((oc) => oc.column('sha256').doNothing())
          .execute();
        // The row lock on the model serialises concurrent uploads: each gets its own number.
        const { next_version } = await trx
          .updateTable('models')
          .set({ next_version: sql`next_version + 1` })
          .where('id', '=', version.model_id)
          .returning('next_version')
          .executeTakeFirstOrThrow();
        const row: VersionRow = { ...version, version: Number(next_version) - 1 };
        await trx.insertInto('model_versions').values(row).execute();
        return row;
      });
    },
    listVersions(modelId: string): Promise<VersionRow[]> {
      return db
        .selectFrom('model_versions')
        .selectAll()
        .where('model_id', '=', modelId)
        .orderBy('version')
        .execute();
    },
    getVersion(modelId: string, version: number): Promise<VersionRow | undefined> {
      return db
        .selectFrom('model_versions')
        .selectAll()
        .where('model_id', '=', modelId)
        .where('version', '=', version)
        .executeTakeFirst();
    },
    async setConfig(versionId: string, config: string): Promise<void> {
      await db.updateTable('model_versions').set({ config }).where('id', '=', versionId).execute();
    },
    getArtifact(sha256: string): Promise<ArtifactRow | undefined> {
      return db.selectFrom('artifacts').selectAll().where('sha256', '=', sha256).executeTakeFirst();
    },
    async getAlias(modelId: string, name: string): Promise<number | undefined> {
      const row = await db
        .selectFrom('aliases')
        .select('version')
        .where('model_id', '=', modelId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row?.version;
    },
    async setAlias(modelId: string, name: string, version: number, at: string): Promise<void> {
      await db
        .insertInto('aliases')
        .values({ model_id: modelId, name, version, updated_at: at })
        .onConflict((oc) => oc.columns(['model_id', 'name']).doUpdateSet({ version, updated_at: at }))
        .execute();
    },
    async deleteAlias(modelId: string, name: string): Promise<boolean> {
      const res = await db
        .deleteFrom('aliases')
        .where('model_id', '=', modelId)
        .where('name', '=', name)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}

export type RegistryRepo = ReturnType<typeof createRegistryRepo>;
