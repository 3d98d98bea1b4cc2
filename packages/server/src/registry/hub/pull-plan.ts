import { type ModelTask, NAME_MAX_LENGTH, type PullPlan, type VersionConfig } from '@modelport/contracts';
import { AppError } from '../../platform/errors/index.js';
import { chooseFiles } from './choose-files.js';
import type { HubClient } from './hub-client.js';
import { type HubSource, parseHubSource } from './hub-source.js';
import { toRepoFiles } from './repo-files.js';

/** A file the pull downloads: where it goes in the artifact, where it is in the repository. */
export interface PlannedFile {
  /** In the artifact (relative to the folder the source names). */
  path: string;
  repoPath: string;
  sizeBytes: number;
  sha256: string | null;
}

export interface ResolvedPull {
  source: HubSource;
  endpoint: string;
  commit: string;
  kind: 'file' | 'folder';
  files: PlannedFile[];
  bytesTotal: number;
  config: VersionConfig;
  pipelineTag: string | null;
}

/** Pipeline tags of the Hub that name a task Modelport serves. */
const TASK_OF_PIPELINE: Record<string, ModelTask> = {
  'text-generation': 'text-generation',
  'automatic-speech-recognition': 'automatic-speech-recognition',
  'feature-extraction': 'feature-extraction',
  'sentence-similarity': 'feature-extraction',
  'image-classification': 'image-classification',
  'text-classification': 'text-classification',
};

/**
 * Resolves a source now, before a pull is accepted: the revision's commit, the files chosen, their
 * sizes, and whether the token may read them (a gated repository lists its files to anyone), so a
 * missing repository, a refusal or an unreachable Hub is answered at once.
 */
export async function resolvePull(
  client: HubClient,
  sourceText: string,
  maxArtifactBytes: number,
): Promise<ResolvedPull> {
  const source = parseHubSource(sourceText);
  const info = await client.modelInfo(source.repo, source.revision);
  const where = `${source.repo}@${source.revision}`;
  const choice = chooseFiles({
    files: toRepoFiles(info.siblings),
    path: source.path,
    tag: source.tag,
    where,
  });
  const largest = [...choice.files].sort((a, b) => (b.sizeBytes ?? Infinity) - (a.sizeBytes ?? Infinity))[0];
  const files: PlannedFile[] = [];
  for (const file of choice.files) {
    let { sizeBytes } = file;
    if (sizeBytes === undefined || file === largest) {
      const probe = await client.probeFile(source.repo, info.sha, file.repoPath);
      sizeBytes ??= probe.sizeBytes;
    }
    // A file listed without its LFS sha256 is checked against the `X-Linked-Etag` of its download.
    files.push({ path: file.path, repoPath: file.repoPath, sizeBytes, sha256: file.sha256 });
  }
  const bytesTotal = files.reduce((sum, f) => sum + f.sizeBytes, 0);
  if (bytesTotal > maxArtifactBytes) {
    throw new AppError(
      'artifact_too_large',
      `${where} needs ${bytesTotal} bytes, over the artifact limit of ${maxArtifactBytes} bytes.`,
    );
  }
  return {
    source,
    endpoint: client.http.endpoint,
    commit: info.sha,
    kind: choice.kind,
    files,
    bytesTotal,
    config: choice.config,
    pipelineTag: info.pipeline_tag ?? null,
  };
}

/** The plan as the API shows it. */
export function toPullPlan(sourceText: string, resolved: ResolvedPull): PullPlan {
  const ggufFile = resolved.kind === 'file' && resolved.files[0]?.path.toLowerCase().endsWith('.gguf');
  return {
    source: sourceText,
    repo: resolved.source.repo,
    revision: resolved.source.revision,
    commit: resolved.commit,
    kind: resolved.kind,
    files: resolved.files.map((f) => ({ path: f.repoPath, sizeBytes: f.sizeBytes, sha256: f.sha256 })),
    bytesTotal: resolved.bytesTotal,
    config: resolved.config,
    pipelineTag: resolved.pipelineTag,
    task: ggufFile ? 'text-generation' : (TASK_OF_PIPELINE[resolved.pipelineTag ?? ''] ?? null),
    suggestedName: nameFromRepo(resolved.source.repo),
  };
}

/** `TheBloke/Llama-2-7B-GGUF` → `llama-2-7b-gguf`. */
export function nameFromRepo(repo: string): string {
  const name = (repo.split('/')[1] ?? repo)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, NAME_MAX_LENGTH);
  return name === '' ? 'model' : name;
}
