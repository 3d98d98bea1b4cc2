import { rm } from 'node:fs/promises';
import type { ModelVersion } from '@modelport/contracts';
import type { AuditService } from '../../audit/index.js';
import { toAppError } from '../../platform/errors/index.js';
import type { Clock, Logger } from '../../platform/index.js';
import type { RegistryService } from '../service.js';
import { pullPrincipal } from './pull-principal.js';
import { type PullRepo, type PullRow, UNFINISHED_STATES } from './pull-repo.js';
import { PullEndedError, type PullRunDeps, pullDir, runPull } from './pull-run.js';
import { storedFiles } from './pull-view.js';

export interface PullRunnerDeps {
  repo: PullRepo;
  registry: RegistryService;
  audit: AuditService;
  clock: Clock;
  log: Logger;
  pullsDir: string;
  maxConcurrentPulls: number;
  runDeps: PullRunDeps;
}

interface Running {
  controller: AbortController;
  /** Bytes on disk per file. */
  live: number[];
  done: Promise<void>;
}

/** Runs queued pulls, `maxConcurrentPulls` at a time, and records how each ends. */
export function createPullRunner(deps: PullRunnerDeps) {
  const { repo, clock, log } = deps;
  const queue: string[] = [];
  const running = new Map<string, Running>();
  let closed = false;

  function pump(): void {
    while (!closed && running.size < deps.maxConcurrentPulls) {
      const id = queue.shift();
      if (id === undefined) return;
      if (running.has(id)) continue;
      const entry: Running = { controller: new AbortController(), live: [], done: Promise.resolve() };
      running.set(id, entry);
      entry.done = run(id, entry).finally(() => {
        running.delete(id);
        pump();
      });
    }
  }

  async function run(id: string, entry: Running): Promise<void> {
    const row = await repo.byId(id).catch(() => undefined);
    if (!row || !(UNFINISHED_STATES as readonly string[]).includes(row.state)) return;
    const dir = pullDir(deps.pullsDir, id);
    // The folder goes before the final state is stored: a pull seen ended has left nothing behind.
    try {
      const version = await runPull(row, dir, deps.runDeps, entry.controller.signal, entry.live);
      await rm(dir, { recursive: true, force: true });
      await succeed(row, version);
    } catch (err) {
      // Closing: the pull stays unfinished for the next start. Cancelled: cancel() cleans up.
      if (entry.controller.signal.aborted || err instanceof PullEndedError) return;
      await rm(dir, { recursive: true, force: true });
      await fail(row, err);
    }
  }

  async function succeed(row: PullRow, version: ModelVersion): Promise<void> {
    const now = clock.now().toISOString();
    const files = storedFiles(row).map((f) => ({ ...f, bytesDone: f.sizeBytes }));
    await repo.advance(row.id, UNFINISHED_STATES, {
      state: 'succeeded',
      version: version.version,
      files: JSON.stringify(files),
      bytes_done: Number(row.bytes_total),
      updated_at: now,
      finished_at: now,
    });
    log.info({ pull: row.id, model: row.model, version: version.version }, 'pulled a version from the Hub');
    await deps.audit
      .record({
        project: row.project_id,
        key: row.key_id,
        action: 'version.pull',
        target: `${row.model}:${version.version}`,
        detail: { source: row.source, commit: row.commit_sha, sha256: version.sha256, pull: row.id },
        requestId: null,
      })
      .catch((err: unknown) => log.error({ err, pull: row.id }, 'could not record a pull in the audit log'));
  }

  async function fail(row: PullRow, err: unknown): Promise<void> {
    const appErr = toAppError(err);
    if (appErr.status >= 500) log.warn({ err, pull: row.id }, 'pull failed');
    const now = clock.now().toISOString();
    await repo
      .advance(row.id, UNFINISHED_STATES, {
        state: 'failed',
        error_code: appErr.code,
        error_message: appErr.message,
        updated_at: now,
        finished_at: now,
      })
      .catch((e: unknown) => log.error({ err: e, pull: row.id }, 'could not record a failed pull'));
  }

  /** A pull stopped while registering: its version may have been recorded before the stop. */
  async function registeredBefore(row: PullRow): Promise<ModelVersion | undefined> {
    const versions = await deps.registry.listVersions(pullPrincipal(row), row.model).catch(() => []);
    return versions.find((v) => v.metadata.source?.pullId === row.id);
  }

  return {
    enqueue(id: string): void {
      queue.push(id);
      pump();
    },

    live(id: string): readonly number[] | undefined {
      return running.get(id)?.live;
    },

    async resume(row: PullRow): Promise<void> {
      if (row.state === 'registering') {
        const version = await registeredBefore(row);
        if (version) {
          await rm(pullDir(deps.pullsDir, row.id), { recursive: true, force: true });
          await succeed(row, version);
          return;
        }
      }
      if (row.state !== 'queued') await repo.update(row.id, { state: 'queued' });
      queue.push(row.id);
      pump();
    },

    /** Stops a pull (cancelled) and waits until its download has let go of its files. */
    async stop(id: string): Promise<void> {
      const at = queue.indexOf(id);
      if (at >= 0) queue.splice(at, 1);
      const entry = running.get(id);
      if (!entry) return;
      entry.controller.abort(new Error('pull cancelled'));
      await entry.done;
    },

    async close(): Promise<void> {
      closed = true;
      queue.length = 0;
      const entries = [...running.values()];
      for (const entry of entries) entry.controller.abort(new Error('server closing'));
      await Promise.all(entries.map((e) => e.done));
    },
  };
}
