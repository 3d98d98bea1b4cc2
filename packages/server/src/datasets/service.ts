import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  type CreateDatasetQuery,
  type Dataset,
  type DatasetFormat,
  type DatasetListItem,
  datasetFormatSchema,
  type InferredSchema,
} from '@modelport/contracts';
import type { Principal } from '../auth/index.js';
import {
  type DatasetFrame,
  datasetTooLarge,
  detectDatasetFormat,
  readDatasetFrame,
  readHead,
} from '../formats/index.js';
import { AppError } from '../platform/errors/index.js';
import type { Clock, Logger } from '../platform/index.js';
import { newId } from '../platform/index.js';
import { type ReceivedUpload, receiveUpload } from '../platform/uploads/index.js';
import type { ArtifactStore } from '../registry/index.js';
import { inspectDataset } from './inspect-dataset.js';
import type { DatasetRepo, DatasetRow } from './repo.js';
import { summaryOf, toDataset, toDatasetListItem } from './views.js';

/** The `datasets` section of the configuration, and the upload idle timeout. */
export interface DatasetLimitsConfig {
  maxBytes: number;
  maxRows: number;
  maxColumns: number;
  maxCells: number;
  maxImages: number;
  maxImagePixels: number;
  uploadIdleTimeoutMs: number;
}

export interface DatasetDeps {
  repo: DatasetRepo;
  artifacts: ArtifactStore;
  clock: Clock;
  log: Logger;
  tmpDir: string;
  limits: DatasetLimitsConfig;
}

export interface DatasetUpload {
  body: NodeJS.ReadableStream;
  expectedBytes?: number | undefined;
  /** Declared media type and file name: hints for the format when the query names none. */
  mediaType?: string | undefined;
  fileName?: string | undefined;
}

/** A dataset present on this machine: the file of a table, or the unpacked folder of images. */
export interface LocalDataset {
  format: DatasetFormat;
  path: string;
}

export function createDatasetService(deps: DatasetDeps) {
  const { repo, limits } = deps;

  /** Another project's dataset looks exactly like a missing one. */
  async function requireDataset(p: Principal, id: string): Promise<DatasetRow> {
    const row = await repo.find(p.projectId, id);
    if (!row) throw new AppError('dataset_not_found', `Dataset '${id}' does not exist.`);
    return row;
  }

  async function localPath(p: Principal, id: string): Promise<LocalDataset> {
    const row = await requireDataset(p, id);
    const artifact = await repo.getArtifact(row.sha256);
    if (!artifact) throw new AppError('dataset_not_found', `The bytes of dataset '${id}' are gone.`);
    const format = datasetFormatSchema.parse(row.format);
    const kind = format === 'images' ? 'image-folder' : 'file';
    return { format, path: await deps.artifacts.fetchLocal(artifact.uri, kind) };
  }

  return {
    requireDataset,

    /** Streams the file to disk, reads it as a dataset, stores it content-addressed with its schema. */
    async create(p: Principal, query: CreateDatasetQuery, upload: DatasetUpload): Promise<Dataset> {
      const received = await receiveUpload(upload.body, {
        tmpDir: deps.tmpDir,
        maxBytes: limits.maxBytes,
        idleTimeoutMs: limits.uploadIdleTimeoutMs,
        expectedBytes: upload.expectedBytes,
        tooLarge: bytesTooLarge,
      });
      const workDir = await mkdtemp(path.join(deps.tmpDir, 'dataset-'));
      try {
        const format = detectDatasetFormat(await readHead(received.file), {
          format: query.format,
          mediaType: upload.mediaType,
          fileName: upload.fileName,
        });
        const inspected = await inspectDataset(received.file, format, workDir, {
          ...limits,
          maxUnpackedBytes: limits.maxBytes,
        });
        const { uri } = await deps.artifacts.commit(received.sha256, received.file, inspected.folder);
        const now = deps.clock.now().toISOString();
        const row = datasetRow(p, query.name, format, received, inspected.schema, now);
        const artifact = {
          sha256: received.sha256,
          format: `dataset-${format}`,
          size_bytes: received.sizeBytes,
          uri,
          created_at: now,
        };
        await repo.insert(artifact, row);
        return toDataset(row);
      } finally {
        await rm(received.file, { force: true });
        await rm(workDir, { recursive: true, force: true });
      }
    },

    async list(p: Principal): Promise<DatasetListItem[]> {
      return (await repo.list(p.projectId)).map(toDatasetListItem);
    },

    async get(p: Principal, id: string): Promise<Dataset> {
      return toDataset(await requireDataset(p, id));
    },

    async delete(p: Principal, id: string): Promise<void> {
      const row = await requireDataset(p, id);
      const orphans = await repo.delete(row);
      for (const artifact of orphans) {
        await deps.artifacts.remove(artifact.uri).catch((err: unknown) => {
          deps.log.warn({ err, uri: artifact.uri }, 'could not remove dataset files');
        });
      }
    },

    /** Where the dataset's bytes are on this machine (fetched into the store's cache first if remote). */
    localPath,

    /** The dataset read as a frame, as training reads it. */
    async localFrame(p: Principal, id: string): Promise<DatasetFrame> {
      const local = await localPath(p, id);
      return readDatasetFrame(local.format, local.path);
    },
  };
}

export type DatasetService = ReturnType<typeof createDatasetService>;

function bytesTooLarge(maxBytes: number): AppError {
  return datasetTooLarge(`The dataset exceeds ${maxBytes} bytes`, 'maxBytes');
}

function datasetRow(
  p: Principal,
  name: string,
  format: DatasetFormat,
  received: ReceivedUpload,
  schema: InferredSchema,
  now: string,
): DatasetRow {
  return {
    id: newId('ds'),
    project_id: p.projectId,
    name,
    format,
    sha256: received.sha256,
    size_bytes: received.sizeBytes,
    summary: JSON.stringify(summaryOf(schema)),
    schema: JSON.stringify(schema),
    created_by: p.keyId,
    created_at: now,
  };
}
