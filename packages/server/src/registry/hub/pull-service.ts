import { mkdir, readdir, rm } from 'node:fs/promises';
import {
  type PullJob,
  type PullListQuery,
  type PullPlan,
  type PullRequest,
  pullListQuery,
} from '@modelport/contracts';
import type { AuditService } from '../../audit/index.js';
import { mayUseModel, type Principal } from '../../auth/index.js';
import { AppError } from '../../platform/errors/index.js';
import { type Clock, type Logger, newId } from '../../platform/index.js';
import type { RegistryService } from '../service.js';
import type { HubClient } from './hub-client.js';
import { resolvePull, toPullPlan } from './pull-plan.js';
import { pullPrincipal } from './pull-principal.js';
import { CANCELLABLE_STATES, type PullRepo, type PullRow } from './pull-repo.js';
import { type PullRunDeps, pullDir } from './pull-run.js';
import { createPullRunner } from './pull-runner.js';
import { toPullJob } from './pull-view.js';

export interface PullServiceDeps {
  repo: PullRepo;
  registry: RegistryService;
  hub: HubClient;
  audit: AuditService;
  clock: Clock;
  log: Logger;
  /** `<dataDir>/pulls`: one folder per unfinished pull, kept across restarts. */
  pullsDir: string;
  maxArtifactBytes: number;
  maxConcurrentPulls: number;
  /** Tests: how often progress is stored. */
  progressEveryMs?: number;
}

/** Pulls from the Hugging Face Hub into model versions (docs/hub.md). */
export function createPullService(deps: PullServiceDeps) {
  const { repo, clock } = deps;
  const runDeps: PullRunDeps = {
    repo,
    clock,
    http: deps.hub.http,
    register: (row, artifact) => deps.registry.registerFile(pullPrincipal(row), row.model, artifact),
    ...(deps.progressEveryMs === undefined ? {} : { progressEveryMs: deps.progressEveryMs }),
  };
  const runner = createPullRunner({ ...deps, runDeps });

  async function requirePull(p: Principal, id: string): Promise<PullRow> {
    const row = await repo.get(p.projectId, id);
    if (!row || !mayUseModel(p, row.model)) throw new AppError('pull_not_found', `No pull '${id}'.`);
    return row;
  }

  return {
    /** What a source resolves to now, without pulling anything. */
    async plan(source: string): Promise<PullPlan> {
      return toPullPlan(source, await resolvePull(deps.hub, source, deps.maxArtifactBytes));
    },

    /**
     * Accepts a pull into an existing model: the source is resolved first (so a missing repository,
     * a refusal or an unreachable Hub is answered now), then the pull is stored and queued.
     */
    async start(p: Principal, model: string, request: PullRequest): Promise<PullJob> {
      await deps.registry.requireModel(p, model);
      const resolved = await resolvePull(deps.hub, request.source, deps.maxArtifactBytes);
      const now = clock.now().toISOString();
      const row: PullRow = {
        id: newId('pull'),
        project_id: p.projectId,
        organization_id: p.organizationId,
        key_id: p.keyId,
        model,
        source: request.source.trim(),
        endpoint: resolved.endpoint,
        repo: resolved.source.repo,
        revision: resolved.source.revision,
        commit_sha: resolved.commit,
        kind: resolved.kind,
        files: JSON.stringify(
          resolved.files.map((f) => ({
            path: f.repoPath,
            artifactPath: f.path,
            sizeBytes: f.sizeBytes,
            sha256: f.sha256,
            bytesDone: 0,
          })),
        ),
        config: JSON.stringify({ ...resolved.config, ...request.config }),
        state: 'queued',
        bytes_done: 0,
        bytes_total: resolved.bytesTotal,
        version: null,
        error_code: null,
        error_message: null,
        created_at: now,
        updated_at: now,
        finished_at: null,
      };
      await repo.insert(row);
      runner.enqueue(row.id);
      return toPullJob(row);
    },

    async get(p: Principal, id: string): Promise<PullJob> {
      const row = await requirePull(p, id);
      return toPullJob(row, runner.live(row.id));
    },

    async list(p: Principal, query: PullListQuery): Promise<PullJob[]> {
      const q = pullListQuery.parse(query);
      const rows = await repo.list(p.projectId, q.model, q.limit);
      return rows.filter((r) => mayUseModel(p, r.model)).map((r) => toPullJob(r, runner.live(r.id)));
    },

    /** Stops a pull that has not started registering; its partial files are removed. */
    async cancel(p: Principal, id: string): Promise<PullJob> {
      const row = await requirePull(p, id);
      const now = clock.now().toISOString();
      const ended = await repo.advance(row.id, CANCELLABLE_STATES, {
        state: 'cancelled',
        updated_at: now,
        finished_at: now,
      });
      if (!ended) {
        throw new AppError(
          'pull_not_cancellable',
          `Pull '${id}' is ${(await repo.byId(id))?.state ?? row.state}.`,
        );
      }
      await runner.stop(row.id);
      await rm(pullDir(deps.pullsDir, row.id), { recursive: true, force: true });
      return toPullJob({ ...row, state: 'cancelled', updated_at: now, finished_at: now });
    },

    /**
     * At start: queues every unfinished pull again (each resumes from its partial files) and removes
     * the folders of pulls that ended.
     */
    async resumeAll(): Promise<void> {
      await mkdir(deps.pullsDir, { recursive: true });
      const rows = await repo.unfinished();
      const keep = new Set(rows.map((r) => r.id));
      for (const entry of await readdir(deps.pullsDir)) {
        if (!keep.has(entry)) await rm(pullDir(deps.pullsDir, entry), { recursive: true, force: true });
      }
      for (const row of rows) await runner.resume(row);
    },

    /** Server closing: downloads stop where they are; the pulls stay unfinished for the next start. */
    close: () => runner.close(),
  };
}

export type PullService = ReturnType<typeof createPullService>;
