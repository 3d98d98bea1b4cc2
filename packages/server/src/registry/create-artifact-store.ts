import path from 'node:path';
import type { ArtifactStore } from './artifact-store.js';
import { createLocalArtifactStore } from './local-artifact-store.js';

export interface ArtifactStoreOptions {
  dataDir: string;
}

/**
 * The one place that picks the artifact store from the configuration: today the data folder's
 * `artifacts/`; an object store (`ARTIFACTS_URL=s3://…`) is chosen here when it comes.
 */
export function createArtifactStore(options: ArtifactStoreOptions): ArtifactStore {
  return createLocalArtifactStore(path.join(options.dataDir, 'artifacts'));
}
