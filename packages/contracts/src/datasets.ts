import { z } from 'zod';
import { nameSchema } from './names.js';

/** `csv` and `jsonl` are tables; `images` is a tar (or .tar.gz) of one sub-folder per class. */
export const datasetFormats = ['csv', 'jsonl', 'images'] as const;
export const datasetFormatSchema = z.enum(datasetFormats);
export type DatasetFormat = z.infer<typeof datasetFormatSchema>;

/** Query of `POST /api/v1/datasets`; the file is the raw body or the multipart `file` part. */
export const createDatasetQuery = z.strictObject({
  name: nameSchema,
  /** Overrides detection (magic bytes, then Content-Type or file extension, then the first character). */
  format: datasetFormatSchema.optional(),
});
export type CreateDatasetQuery = z.infer<typeof createDatasetQuery>;

/** Rows shown in a table's preview. */
export const DATASET_PREVIEW_ROWS = 10;
/** Most frequent values listed for a string column. */
export const DATASET_TOP_VALUES = 10;
/** Longer strings are cut (ending in `…`) in previews and top values; the data itself is intact. */
export const DATASET_SHOWN_CHARS = 200;

export const datasetCellSchema = z.union([z.number(), z.string(), z.null()]);
export type DatasetCell = z.infer<typeof datasetCellSchema>;

export const numberColumnSchema = z.object({
  name: z.string(),
  type: z.literal('number'),
  /** Cells that are empty, `NA`, `NaN`, `null` or JSON null. */
  missing: z.number().int(),
  /** Null when every cell is missing. */
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
});

export const stringColumnSchema = z.object({
  name: z.string(),
  type: z.literal('string'),
  missing: z.number().int(),
  /** Distinct present values. */
  distinct: z.number().int(),
  /** The most frequent values, most frequent first (ties in value order): the class counts of a label. */
  top: z.array(z.object({ value: z.string(), count: z.number().int() })),
});

export const datasetColumnSchema = z.discriminatedUnion('type', [numberColumnSchema, stringColumnSchema]);
export type DatasetColumn = z.infer<typeof datasetColumnSchema>;

export const inferredTableSchema = z.object({
  kind: z.literal('table'),
  rows: z.number().int(),
  columns: z.array(datasetColumnSchema),
  /** The first rows, one cell per column in column order. */
  preview: z.array(z.array(datasetCellSchema)),
});
export type InferredTableSchema = z.infer<typeof inferredTableSchema>;

const rangeSchema = z.object({ min: z.number().int(), max: z.number().int() });

export const inferredImageSchema = z.object({
  kind: z.literal('images'),
  images: z.number().int(),
  /** Every class folder with its image count, by name. */
  classes: z.array(z.object({ name: z.string(), count: z.number().int() })),
  width: rangeSchema,
  height: rangeSchema,
  /** Channel counts seen (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA). */
  channels: z.array(z.number().int()),
  /** Encodings seen: `png`, `jpeg`, `webp`. */
  encodings: z.array(z.string()),
});
export type InferredImageSchema = z.infer<typeof inferredImageSchema>;

export const inferredSchema = z.discriminatedUnion('kind', [inferredTableSchema, inferredImageSchema]);
export type InferredSchema = z.infer<typeof inferredSchema>;

/** How big a dataset is, at a glance (the list shows it without the whole schema). */
export const datasetSummarySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('table'), rows: z.number().int(), columns: z.number().int() }),
  z.object({ kind: z.literal('images'), images: z.number().int(), classes: z.number().int() }),
]);
export type DatasetSummary = z.infer<typeof datasetSummarySchema>;

export const datasetListItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  project: z.string(),
  format: datasetFormatSchema,
  sha256: z.string(),
  sizeBytes: z.number().int(),
  createdAt: z.string(),
  summary: datasetSummarySchema,
});
export type DatasetListItem = z.infer<typeof datasetListItemSchema>;

export const datasetSchema = datasetListItemSchema.extend({ schema: inferredSchema });
export type Dataset = z.infer<typeof datasetSchema>;

export const datasetListSchema = z.object({ data: z.array(datasetListItemSchema) });
export type DatasetList = z.infer<typeof datasetListSchema>;
