import {
  type PullJob,
  type PullListQuery,
  type PullPlan,
  pullJobSchema,
  pullListSchema,
  pullPlanSchema,
  type VersionConfig,
} from '@modelport/contracts';
import { paths } from '../paths.js';
import type { Transport } from '../transport.js';
import { type WaitForPullOptions, waitForPull } from './wait-for-pull.js';

export interface PullOptions {
  /** The new version's config, over the one the pull derives (an ONNX folder's `dtype`). */
  config?: VersionConfig;
}

/**
 * Pulls from the Hugging Face Hub (or the mirror the server is set to) into a model's versions:
 * `hf://org/repo[@revision][/path][:quantization]` (docs/hub.md).
 */
export class Pulls {
  constructor(private readonly transport: Transport) {}

  /** What the source resolves to now (commit, files, sizes, suggested task), without pulling. */
  plan(source: string): Promise<PullPlan> {
    return this.transport.json({ method: 'POST', path: paths.pullPlan(), json: { source } }, pullPlanSchema);
  }

  /**
   * Starts pulling into an existing model (202: it resolves once the pull is accepted, not when it
   * ends; `wait()` does that). A missing repository, a refusal or an unreachable Hub fails here.
   */
  start(model: string, source: string, options: PullOptions = {}): Promise<PullJob> {
    const json = { source, ...(options.config === undefined ? {} : { config: options.config }) };
    return this.transport.json({ method: 'POST', path: paths.versions(model), json }, pullJobSchema);
  }

  get(id: string, signal?: AbortSignal): Promise<PullJob> {
    return this.transport.json({ method: 'GET', path: paths.pull(id), signal }, pullJobSchema);
  }

  /** Newest first; `model` keeps one model's pulls. */
  async list(query: PullListQuery = {}): Promise<PullJob[]> {
    const search = new URLSearchParams();
    if (query.model !== undefined) search.set('model', query.model);
    if (query.limit !== undefined) search.set('limit', String(query.limit));
    const path = search.size === 0 ? paths.pulls() : `${paths.pulls()}?${search}`;
    return (await this.transport.json({ method: 'GET', path }, pullListSchema)).data;
  }

  /** Stops a pull that is not registering yet; its partial files are removed. */
  cancel(id: string): Promise<PullJob> {
    return this.transport.json({ method: 'POST', path: paths.pullCancel(id), json: {} }, pullJobSchema);
  }

  /** Reads the pull until it `succeeded`, `failed` or was `cancelled`, and returns it. */
  wait(id: string, options: WaitForPullOptions = {}): Promise<PullJob> {
    return waitForPull((signal) => this.get(id, signal), id, options);
  }
}
