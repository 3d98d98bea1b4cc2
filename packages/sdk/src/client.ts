import { ModelportError } from './errors.js';
import { Aliases } from './resources/aliases.js';
import { Audit } from './resources/audit.js';
import { Budgets } from './resources/budgets.js';
import { Datasets } from './resources/datasets.js';
import { Deployments } from './resources/deployments.js';
import { Keys } from './resources/keys.js';
import { Models } from './resources/models.js';
import { Predict } from './resources/predict.js';
import { Prices } from './resources/prices.js';
import { Projects } from './resources/projects.js';
import { Pulls } from './resources/pulls.js';
import { Rollouts } from './resources/rollouts.js';
import { Training } from './resources/training-jobs.js';
import { Usage } from './resources/usage.js';
import { Versions } from './resources/versions.js';
import { Transport } from './transport.js';

export interface ModelportOptions {
  /** Server address, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; only `health()` works without one. */
  apiKey?: string | undefined;
  fetch?: typeof fetch;
  /** Abort a request after this long without progress (transfers count each chunk). Default 60 s. */
  timeoutMs?: number;
  /**
   * Retries after a connection failure, timeout, 408, 409, 429 or 5xx, waiting as `retry-after` asks
   * (else exponential backoff); never for `x-should-retry: false`, a catalog code that is not
   * `retryable`, or a streamed upload. Default 2; 0 turns retries off.
   */
  maxRetries?: number;
}

export interface Health {
  /** The server answers and its database is reachable. */
  ready: boolean;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RETRIES = 2;

export class Modelport {
  readonly models: Models;
  readonly versions: Versions;
  /** Pulls from the Hugging Face Hub into model versions. */
  readonly pulls: Pulls;
  readonly aliases: Aliases;
  readonly keys: Keys;
  readonly projects: Projects;
  readonly audit: Audit;
  readonly predict: Predict;
  readonly usage: Usage;
  readonly prices: Prices;
  readonly budgets: Budgets;
  readonly datasets: Datasets;
  readonly deployments: Deployments;
  readonly rollouts: Rollouts;
  /** `training.jobs`: train, follow, cancel. */
  readonly training: Training;
  private readonly transport: Transport;

  constructor(options: ModelportOptions) {
    const baseUrl = new URL(options.baseUrl).href.replace(/\/+$/, '');
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) {
      throw new RangeError(`maxRetries must be a whole number from 0 up, not ${maxRetries}.`);
    }
    this.transport = new Transport({
      baseUrl,
      apiKey: options.apiKey,
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries,
    });
    this.models = new Models(this.transport);
    this.versions = new Versions(this.transport);
    this.pulls = new Pulls(this.transport);
    this.aliases = new Aliases(this.transport);
    this.keys = new Keys(this.transport);
    this.projects = new Projects(this.transport);
    this.audit = new Audit(this.transport);
    this.predict = new Predict(this.transport);
    this.usage = new Usage(this.transport);
    this.prices = new Prices(this.transport);
    this.budgets = new Budgets(this.transport);
    this.datasets = new Datasets(this.transport);
    this.deployments = new Deployments(this.transport);
    this.rollouts = new Rollouts(this.transport);
    this.training = new Training(this.transport);
  }

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  /**
   * Readiness probe; a server that answers "not ready" (503) gives `{ ready: false }`, not an error.
   * Never retried: a probe reports what it sees now.
   */
  async health(): Promise<Health> {
    const idle = this.transport.newIdleTimeout();
    try {
      await this.transport.send({ method: 'GET', path: '/health/ready', maxRetries: 0 }, idle);
      return { ready: true };
    } catch (err) {
      if (err instanceof ModelportError && err.status === 503) return { ready: false };
      throw err;
    } finally {
      idle.clear();
    }
  }
}
