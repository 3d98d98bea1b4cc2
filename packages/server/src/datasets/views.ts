import type {
  Dataset,
  DatasetFormat,
  DatasetListItem,
  DatasetSummary,
  InferredSchema,
} from '@modelport/contracts';
import type { DatasetListRow, DatasetRow } from './repo.js';

export function toDatasetListItem(row: DatasetListRow): DatasetListItem {
  return {
    id: row.id,
    name: row.name,
    project: row.project_id,
    format: row.format as DatasetFormat,
    sha256: row.sha256,
    sizeBytes: Number(row.size_bytes),
    createdAt: row.created_at,
    summary: JSON.parse(row.summary) as DatasetSummary,
  };
}

export function toDataset(row: DatasetRow): Dataset {
  return { ...toDatasetListItem(row), schema: JSON.parse(row.schema) as InferredSchema };
}

export function summaryOf(schema: InferredSchema): DatasetSummary {
  return schema.kind === 'table'
    ? { kind: 'table', rows: schema.rows, columns: schema.columns.length }
    : { kind: 'images', images: schema.images, classes: schema.classes.length };
}
