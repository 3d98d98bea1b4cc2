import {
  type PromoteRolloutRequest,
  type Rollout,
  rolloutListSchema,
  rolloutSchema,
  type StartRolloutRequest,
} from '@modelport/contracts';
import { paths } from '../paths.js';
import type { Transport } from '../transport.js';
import { type WaitForRolloutOptions, waitForRollout } from './wait-for-rollout.js';

/** `current`: the deployment's rollout in progress, else its latest one. */
const CURRENT = 'current';

/**
 * Guarded rollouts: traffic moves to a deployment's next revision step by step while guardrails
 * compare it with the serving one, and a breach rolls it back. `id` defaults to `current`.
 */
export class Rollouts {
  constructor(private readonly transport: Transport) {}

  /**
   * Starts moving the deployment to these variants (202: it resolves once the rollout is recorded,
   * not when it ends; `wait()` does that). One in progress is refused (409) unless `supersede`.
   */
  start(deployment: string, request: StartRolloutRequest): Promise<Rollout> {
    return this.transport.json(
      { method: 'POST', path: paths.rollouts(deployment), json: request },
      rolloutSchema,
    );
  }

  /** The deployment's rollouts, newest first. */
  async list(deployment: string): Promise<Rollout[]> {
    return (await this.transport.json({ method: 'GET', path: paths.rollouts(deployment) }, rolloutListSchema))
      .data;
  }

  get(deployment: string, id = CURRENT): Promise<Rollout> {
    return this.read(deployment, id);
  }

  /** Holds the traffic split where it is until `resume()`, `promote()` or `abort()`. */
  pause(deployment: string, id = CURRENT): Promise<Rollout> {
    return this.act(deployment, id, 'pause', {});
  }

  resume(deployment: string, id = CURRENT): Promise<Rollout> {
    return this.act(deployment, id, 'resume', {});
  }

  /** Ends the rollout by rolling back to the revision it started from. */
  abort(deployment: string, id = CURRENT): Promise<Rollout> {
    return this.act(deployment, id, 'abort', {});
  }

  /** Takes the next step now, without waiting out the bake; `{ all: true }` goes straight to 100%. */
  promote(deployment: string, request: PromoteRolloutRequest = {}, id = CURRENT): Promise<Rollout> {
    return this.act(deployment, id, 'promote', request);
  }

  /**
   * Polls until the rollout is `succeeded`, `failed` or `rolled_back`, or `paused` (by default), and
   * returns it: check `state` to decide a CI job's outcome.
   */
  wait(deployment: string, options: WaitForRolloutOptions = {}): Promise<Rollout> {
    return waitForRollout((id, signal) => this.read(deployment, id, signal), deployment, options);
  }

  private read(deployment: string, id: string, signal?: AbortSignal): Promise<Rollout> {
    return this.transport.json({ method: 'GET', path: paths.rollout(deployment, id), signal }, rolloutSchema);
  }

  private act(
    deployment: string,
    id: string,
    verb: 'pause' | 'resume' | 'abort' | 'promote',
    body: object,
  ): Promise<Rollout> {
    return this.transport.json(
      { method: 'POST', path: paths.rolloutAction(deployment, id, verb), json: body },
      rolloutSchema,
    );
  }
}
