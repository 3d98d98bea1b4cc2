import {
  type ModelVersion,
  modelVersionSchema,
  type VersionConfig,
  versionListSchema,
} from '@modelport/contracts';
import { paths, type VersionRef } from '../paths.js';
import type { Transport } from '../transport.js';
import type { UploadSource } from '../upload-source.js';
import { type DownloadResult, downloadArtifact } from './download-artifact.js';
import { type UploadOptions, uploadVersion } from './upload-version.js';

export class Versions {
  constructor(private readonly transport: Transport) {}

  /** Streams an artifact (ONNX, GGUF or a tar of a model folder) as a new immutable version. */
  upload(name: string, source: UploadSource, options: UploadOptions = {}): Promise<ModelVersion> {
    return uploadVersion(this.transport, name, source, options);
  }

  async list(name: string): Promise<ModelVersion[]> {
    return (await this.transport.json({ method: 'GET', path: paths.versions(name) }, versionListSchema)).data;
  }

  /** `ref` is a version number or an alias name. */
  get(name: string, ref: VersionRef): Promise<ModelVersion> {
    return this.transport.json({ method: 'GET', path: paths.version(name, ref) }, modelVersionSchema);
  }

  /** Replaces the version's config; the artifact itself never changes. */
  setConfig(name: string, ref: VersionRef, config: VersionConfig): Promise<ModelVersion> {
    return this.transport.json(
      { method: 'PATCH', path: paths.version(name, ref), json: { config } },
      modelVersionSchema,
    );
  }

  /** Saves the artifact to `destPath` (verified against the server's digest). */
  download(name: string, ref: VersionRef, destPath: string): Promise<DownloadResult> {
    return downloadArtifact(this.transport, name, ref, destPath);
  }
}
