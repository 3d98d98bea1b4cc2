import { type Dataset, type DatasetListItem, datasetListSchema, datasetSchema } from '@modelport/contracts';
import { paths } from '../paths.js';
import type { Transport } from '../transport.js';
import type { UploadSource } from '../upload-source.js';
import { type PushDatasetOptions, pushDataset } from './push-dataset.js';

/** Datasets for training: CSV, JSON Lines, or a tar (.tar.gz) of image class folders. */
export class Datasets {
  constructor(private readonly transport: Transport) {}

  /** Streams a file (path, bytes or stream); resolves to the dataset with the schema inferred from it. */
  push(source: UploadSource, options: PushDatasetOptions): Promise<Dataset> {
    return pushDataset(this.transport, source, options);
  }

  /** The project's datasets, newest first, without their schemas. */
  async list(): Promise<DatasetListItem[]> {
    return (await this.transport.json({ method: 'GET', path: paths.datasets() }, datasetListSchema)).data;
  }

  get(id: string): Promise<Dataset> {
    return this.transport.json({ method: 'GET', path: paths.dataset(id) }, datasetSchema);
  }

  /** Deletes the dataset; its bytes go once nothing else uses them. */
  delete(id: string): Promise<void> {
    return this.transport.empty({ method: 'DELETE', path: paths.dataset(id) });
  }
}
