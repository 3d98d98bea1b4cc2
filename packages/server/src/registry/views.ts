import type {
  ArtifactFormat,
  ArtifactMetadata,
  Model,
  ModelTask,
  ModelVersion,
  VersionConfig,
} from '@modelport/contracts';
import type { ModelRow, VersionRow } from './repo.js';

export function toModel(row: ModelRow, latest: number | undefined, aliases: Record<string, number>): Model {
  return {
    name: row.name,
    task: row.task as ModelTask,
    description: row.description,
    project: row.project_id,
    createdAt: row.created_at,
    latestVersion: latest ?? null,
    aliases,
  };
}

export function toVersion(model: string, row: VersionRow, aliases: string[]): ModelVersion {
  return {
    model,
    version: row.version,
    format: row.format as ArtifactFormat,
    sha256: row.sha256,
    sizeBytes: Number(row.size_bytes),
    createdAt: row.created_at,
    config: JSON.parse(row.config) as VersionConfig,
    metadata: JSON.parse(row.metadata) as ArtifactMetadata,
    aliases,
  };
}
