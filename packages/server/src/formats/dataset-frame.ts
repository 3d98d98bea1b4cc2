/**
 * A dataset as it is read for training: a table of columns, or images in one sub-folder per class.
 * The same shapes serve the upload's schema inference and the training worker, so both read a file alike.
 */

/** One cell: a number in a `number` column, a string in a `string` column, null where it is missing. */
export type Cell = number | string | null;

export interface TableColumn {
  readonly name: string;
  /** `number` when every present cell parses as a finite number, else `string`. */
  readonly type: 'number' | 'string';
  /** One cell per row, in file order. */
  readonly values: readonly Cell[];
}

export interface TableFrame {
  readonly kind: 'table';
  readonly rowCount: number;
  readonly columns: readonly TableColumn[];
}

export interface ImageItem {
  /** The class: the name of the sub-folder the image sits in. */
  readonly className: string;
  /** Absolute path of the image file on this machine. */
  readonly path: string;
}

export interface ImageFrame {
  readonly kind: 'images';
  /** Class names, sorted; a label's index is its position here. */
  readonly classes: readonly string[];
  readonly items: readonly ImageItem[];
}

export type DatasetFrame = TableFrame | ImageFrame;
