import path from 'node:path';
import type { Config } from '../config/index.js';
import type { Logger } from '../platform/index.js';
import { keyringFrom } from './artifact-keyring.js';
import type { ArtifactStore } from './artifact-store.js';
import { createLocalArtifactStore } from './local-artifact-store.js';
import { createS3ArtifactStore } from './s3-artifact-store.js';

export interface ArtifactStoreOptions {
  dataDir: string;
  artifacts: Config['artifacts'];
  log: Logger;
}

/**
 * The one place that picks the artifact store from the configuration: the data folder's
 * `artifacts/`, or a bucket when `artifacts.url` is `s3://…`. Artifacts an earlier configuration
 * wrote to the data folder stay readable after a switch to a bucket (their URIs say `local:`).
 */
export function createArtifactStore(options: ArtifactStoreOptions): ArtifactStore {
  const { artifacts } = options;
  const keyring = keyringFrom(artifacts.encryptionKeys, artifacts.encryptionKeyFile);
  const cacheDir = artifacts.cacheDir ?? path.join(options.dataDir, 'artifact-cache');
  const local = createLocalArtifactStore(path.join(options.dataDir, 'artifacts'), {
    keyring,
    // Sealed local blobs need plaintext copies for runners; they share the cache with a bucket's.
    cacheDir: artifacts.url ? path.join(cacheDir, 'local') : cacheDir,
    cacheMaxBytes: artifacts.cacheMaxBytes,
    log: options.log,
  });
  if (!artifacts.url) return local;
  const { host: bucket, pathname } = new URL(artifacts.url);
  const prefix = pathname.replace(/^\/+/, '');
  const s3 = createS3ArtifactStore({
    bucket,
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    endpoint: artifacts.endpoint,
    region: artifacts.region,
    forcePathStyle: artifacts.forcePathStyle,
    credentials:
      artifacts.accessKeyId && artifacts.secretAccessKey
        ? { accessKeyId: artifacts.accessKeyId, secretAccessKey: artifacts.secretAccessKey }
        : undefined,
    cacheDir,
    cacheMaxBytes: artifacts.cacheMaxBytes,
    keyring,
    log: options.log,
  });
  void s3.abortStaleUploads();
  const readerOf = (uri: string): ArtifactStore => (uri.startsWith('local:') ? local : s3);
  return {
    commit: (sha256, file, folder) => s3.commit(sha256, file, folder),
    open: (uri) => readerOf(uri).open(uri),
    fetchLocal: (uri, kind) => readerOf(uri).fetchLocal(uri, kind),
    remove: (uri) => readerOf(uri).remove(uri),
  };
}
