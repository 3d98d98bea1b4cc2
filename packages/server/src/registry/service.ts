import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  type CreateModelRequest,
  createModelRequest,
  isValidName,
  type Model,
  type ModelVersion,
  type VersionConfig,
} from '@modelport/contracts';
import type { Principal } from '../auth/index.js';
import { mayUseModel } from '../auth/index.js';
import { inspectArtifact } from '../formats/index.js';
import { isUniqueViolation } from '../platform/db/index.js';
import { AppError } from '../platform/errors/index.js';
import type { Clock, Logger } from '../platform/index.js';
import { newId } from '../platform/index.js';
import { receiveUpload } from '../platform/uploads/index.js';
import type { ArtifactStore } from './artifact-store.js';
import type { ModelRow, RegistryRepo, VersionRow } from './repo.js';
import { parseVersionRef, type VersionRef } from './version-ref.js';
import { toModel, toVersion } from './views.js';

export interface RegistryDeps {
  repo: RegistryRepo;
  artifacts: ArtifactStore;
  clock: Clock;
  log: Logger;
  tmpDir: string;
  limits: { maxArtifactBytes: number; uploadIdleTimeoutMs: number };
  /** Whether something (a deployment) still serves the model; such a model cannot be deleted. */
  inUse?: (modelId: string) => Promise<boolean>;
}

export interface UploadInput {
  body: NodeJS.ReadableStream;
  expectedBytes?: number | undefined;
  config?: VersionConfig | undefined;
}

export interface ResolvedVersion {
  model: ModelRow;
  version: VersionRow;
}

export function createRegistryService(deps: RegistryDeps) {
  const { repo, clock } = deps;

  /** A model outside the key's allow-list looks exactly like a missing one. */
  async function requireModel(p: Principal, name: string): Promise<ModelRow> {
    const row =
      isValidName(name) && mayUseModel(p, name) ? await repo.findModel(p.projectId, name) : undefined;
    if (!row) throw new AppError('model_not_found', `Model '${name}' does not exist.`);
    return row;
  }

  async function resolveRef(p: Principal, ref: VersionRef): Promise<ResolvedVersion> {
    const model = await requireModel(p, ref.model);
    let number: number | undefined;
    if (ref.kind === 'number') number = ref.version;
    else if (ref.kind === 'alias') {
      number = await repo.getAlias(model.id, ref.alias);
      if (number === undefined)
        throw new AppError('alias_not_found', `Model '${model.name}' has no alias '${ref.alias}'.`);
    } else number = (await repo.latestVersions([model.id])).get(model.id);
    const version = number === undefined ? undefined : await repo.getVersion(model.id, number);
    if (!version) {
      throw new AppError(
        'version_not_found',
        `Model '${model.name}' has no version ${number ?? '(none uploaded)'}.`,
      );
    }
    return { model, version };
  }

  async function describeModels(rows: ModelRow[]): Promise<Model[]> {
    const ids = rows.map((r) => r.id);
    const [latest, aliases] = await Promise.all([repo.latestVersions(ids), repo.aliases(ids)]);
    return rows.map((r) => {
      const own = Object.fromEntries(
        aliases.filter((a) => a.model_id === r.id).map((a) => [a.name, a.version]),
      );
      return toModel(r, latest.get(r.id), own);
    });
  }

  async function describeVersion(model: ModelRow, version: VersionRow): Promise<ModelVersion> {
    const aliases = (await repo.aliases([model.id]))
      .filter((a) => a.version === version.version)
      .map((a) => a.name);
    return toVersion(model.name, version, aliases);
  }

  return {
    requireModel,
    resolveRef,
    resolve: (p: Principal, ref: string) => resolveRef(p, parseVersionRef(ref)),
    describeVersion,

    async createModel(p: Principal, input: CreateModelRequest): Promise<Model> {
      const req = createModelRequest.parse(input);
      const row: ModelRow = {
        id: newId('mdl'),
        project_id: p.projectId,
        name: req.name,
        task: req.task,
        description: req.description,
        next_version: 1,
        created_at: clock.now().toISOString(),
      };
      try {
        await repo.insertModel(row);
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new AppError('model_already_exists', `Model '${req.name}' already exists.`);
        }
        throw err;
      }
      return toModel(row, undefined, {});
    },

    async listModels(p: Principal): Promise<Model[]> {
      const rows = (await repo.listModels(p.projectId)).filter((r) => mayUseModel(p, r.name));
      return describeModels(rows);
    },

    async getModel(p: Principal, name: string): Promise<Model> {
      const [model] = await describeModels([await requireModel(p, name)]);
      if (!model) throw new AppError('model_not_found', `Model '${name}' does not exist.`);
      return model;
    },

    async deleteModel(p: Principal, name: string): Promise<void> {
      const model = await requireModel(p, name);
      if (await deps.inUse?.(model.id)) {
        throw new AppError('model_in_use', `Model '${name}' is deployed; delete its deployments first.`);
      }
      const orphans = await repo.deleteModel(model.id);
      for (const artifact of orphans) {
        await deps.artifacts.remove(artifact.uri).catch((err: unknown) => {
          deps.log.warn({ err, uri: artifact.uri }, 'could not remove artifact files');
        });
      }
    },

    /** Streams the body to disk, validates it by content, then records an immutable version. */
    async uploadVersion(p: Principal, name: string, input: UploadInput): Promise<ModelVersion> {
      const model = await requireModel(p, name);
      const received = await receiveUpload(input.body, {
        tmpDir: deps.tmpDir,
        maxBytes: deps.limits.maxArtifactBytes,
        idleTimeoutMs: deps.limits.uploadIdleTimeoutMs,
        expectedBytes: input.expectedBytes,
        tooLarge: (maxBytes) =>
          new AppError('artifact_too_large', `The artifact exceeds the limit of ${maxBytes} bytes.`),
      });
      const workDir = await mkdtemp(path.join(deps.tmpDir, 'inspect-'));
      try {
        if (received.sizeBytes === 0) throw new AppError('empty_artifact', 'The uploaded artifact is empty.');
        const inspected = await inspectArtifact(received.file, workDir);
        const { uri } = await deps.artifacts.commit(received.sha256, received.file, inspected.folderPath);
        const now = clock.now().toISOString();
        const row = await repo.insertVersion(
          {
            sha256: received.sha256,
            format: inspected.format,
            size_bytes: received.sizeBytes,
            uri,
            created_at: now,
          },
          {
            id: newId('ver'),
            model_id: model.id,
            sha256: received.sha256,
            format: inspected.format,
            size_bytes: received.sizeBytes,
            metadata: JSON.stringify(inspected.metadata),
            config: JSON.stringify(input.config ?? {}),
            created_at: now,
          },
        );
        return toVersion(model.name, row, []);
      } finally {
        await rm(received.file, { force: true });
        await rm(workDir, { recursive: true, force: true });
      }
    },

    async listVersions(p: Principal, name: string): Promise<ModelVersion[]> {
      const model = await requireModel(p, name);
      const [rows, aliases] = await Promise.all([repo.listVersions(model.id), repo.aliases([model.id])]);
      return rows.map((r) =>
        toVersion(
          model.name,
          r,
          aliases.filter((a) => a.version === r.version).map((a) => a.name),
        ),
      );
    },

    async getVersion(p: Principal, ref: VersionRef): Promise<ModelVersion> {
      const { model, version } = await resolveRef(p, ref);
      return describeVersion(model, version);
    },

    async setVersionConfig(p: Principal, ref: VersionRef, config: VersionConfig): Promise<ModelVersion> {
      const { model, version } = await resolveRef(p, ref);
      const serialized = JSON.stringify(config);
      await repo.setConfig(version.id, serialized);
      return describeVersion(model, { ...version, config: serialized });
    },

    /**
     * Where a runner on this machine reads the version's artifact (the extracted folder for folders),
     * once the store has made it present here (a remote store downloads it into its cache first).
     */
    async localArtifactPath(version: VersionRow): Promise<string> {
      const artifact = await repo.getArtifact(version.sha256);
      if (!artifact) throw new AppError('version_not_found', `The artifact ${version.sha256} is gone.`);
      return deps.artifacts.fetchLocal(artifact.uri, version.format === 'folder' ? 'folder' : 'file');
    },

    async openArtifact(p: Principal, ref: VersionRef) {
      const { model, version } = await resolveRef(p, ref);
      const artifact = await repo.getArtifact(version.sha256);
      if (!artifact)
        throw new AppError('version_not_found', `The artifact of ${model.name}:${version.version} is gone.`);
      const ext = version.format === 'folder' ? 'tar' : version.format;
      return {
        stream: await deps.artifacts.open(artifact.uri),
        sizeBytes: Number(artifact.size_bytes),
        fileName: `${model.name}-${version.version}.${ext}`,
        sha256: version.sha256,
      };
    },

    async setAlias(p: Principal, name: string, alias: string, versionNumber: number) {
      if (!isValidName(alias) || /^[0-9]+$/.test(alias)) {
        throw new AppError('invalid_name', `'${alias}' is not a valid alias (a name that is not a number).`);
      }
      const { model, version } = await resolveRef(p, { model: name, kind: 'number', version: versionNumber });
      await repo.setAlias(model.id, alias, version.version, clock.now().toISOString());
      return { model: model.name, alias, version: version.version };
    },

    async deleteAlias(p: Principal, name: string, alias: string): Promise<void> {
      const model = await requireModel(p, name);
      if (!(await repo.deleteAlias(model.id, alias))) {
        throw new AppError('alias_not_found', `Model '${name}' has no alias '${alias}'.`);
      }
    },
  };
}

export type RegistryService = ReturnType<typeof createRegistryService>;
