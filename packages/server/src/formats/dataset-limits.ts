/**
 * Bounds applied while a dataset is read. The upload passes the configured `datasets` limits; a
 * reader of a dataset already accepted (the training worker) may pass none.
 */
export interface DatasetLimits {
  maxRows?: number;
  maxColumns?: number;
  /** Rows × columns: a table is held in memory whole. */
  maxCells?: number;
  maxImages?: number;
  /** Bytes of an archive once unpacked (gzip would otherwise hide any size). */
  maxUnpackedBytes?: number;
}
