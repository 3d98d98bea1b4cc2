import type { Dataset } from '@modelport/contracts';
import type { DatasetService } from '../datasets/index.js';
import type { DatasetShape, DatasetSource } from '../training/index.js';

/** The datasets domain as training jobs read it: the dataset's file here, and its inferred schema. */
export function trainingDatasets(datasets: DatasetService): DatasetSource {
  return {
    async locate(p, datasetId) {
      const dataset = await datasets.get(p, datasetId);
      const local = await datasets.localPath(p, datasetId);
      return {
        id: dataset.id,
        format: local.format,
        sha256: dataset.sha256,
        path: local.path,
        schema: shapeOf(dataset.schema),
      };
    },
  };
}

function shapeOf(schema: Dataset['schema']): DatasetShape {
  if (schema.kind === 'images')
    return { kind: 'images', images: schema.images, classes: schema.classes.map((c) => c.name) };
  return {
    kind: 'table',
    rows: schema.rows,
    columns: schema.columns.map((c) => ({
      name: c.name,
      type: c.type,
      missing: c.missing,
      // A number column's distinct count is known only when it holds one value (or none).
      distinct: c.type === 'string' ? c.distinct : c.min === null ? 0 : c.min === c.max ? 1 : null,
    })),
  };
}
