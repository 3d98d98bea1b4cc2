import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { ArtifactStore } from '../../registry/index.js';
import type { LocatedDataset } from './job-ports.js';
import type { TrainedModel } from './worker-port.js';

/**
 * What a job that succeeded without registering keeps (`training_jobs.kept`): its exported ONNX file
 * in the artifact store and everything else `registerTrainedVersion` needs, so a later registration
 * gives the version the same config and lineage an automatic one would.
 */
export interface KeptModel {
  sha256: string;
  sizeBytes: number;
  uri: string;
  dataset: Pick<LocatedDataset, 'id' | 'sha256' | 'format'>;
  trained: Omit<TrainedModel, 'onnxPath'>;
}

/** Puts the exported file into the store (content-addressed, so the same bytes are stored once). */
export async function keepTrainedModel(
  artifacts: ArtifactStore,
  trained: TrainedModel,
  dataset: LocatedDataset,
): Promise<KeptModel> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(trained.onnxPath), hash);
  const sha256 = hash.digest('hex');
  const { size } = await stat(trained.onnxPath);
  const { uri } = await artifacts.commit(sha256, trained.onnxPath, undefined);
  const { onnxPath: _onnxPath, ...rest } = trained;
  return {
    sha256,
    sizeBytes: size,
    uri,
    dataset: { id: dataset.id, sha256: dataset.sha256, format: dataset.format },
    trained: rest,
  };
}
