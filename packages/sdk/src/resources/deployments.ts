import {
  type CreateDeploymentRequest,
  type Deployment,
  deploymentListSchema,
  deploymentSchema,
  type Revision,
  revisionListSchema,
  type SetVariantsRequest,
  type ShadowReport,
  shadowReportListSchema,
  type UpdateDeploymentRequest,
} from '@modelport/contracts';
import { paths } from '../paths.js';
import type { Transport } from '../transport.js';

export type { Deployment };

/** Model versions being served, each by its own runner processes (reading needs `manage` or `infer`). */
export class Deployments {
  constructor(private readonly transport: Transport) {}

  /** Starts the runners and resolves once they are ready; `name` defaults to the model's name. */
  create(input: CreateDeploymentRequest): Promise<Deployment> {
    return this.transport.json({ method: 'POST', path: paths.deployments(), json: input }, deploymentSchema);
  }

  async list(): Promise<Deployment[]> {
    return (await this.transport.json({ method: 'GET', path: paths.deployments() }, deploymentListSchema))
      .data;
  }

  get(name: string): Promise<Deployment> {
    return this.transport.json({ method: 'GET', path: paths.deployment(name) }, deploymentSchema);
  }

  /** Swaps to another version (new runners start before the old ones drain) or changes `instances`. */
  update(name: string, input: UpdateDeploymentRequest): Promise<Deployment> {
    return this.transport.json(
      { method: 'PATCH', path: paths.deployment(name), json: input },
      deploymentSchema,
    );
  }

  /**
   * Replaces the production variants and their weights (revision N+1): new pools are ready before
   * traffic moves, removed ones drain. A refused change (`invalid_variants`, an unknown version)
   * changes nothing.
   */
  setVariants(name: string, input: SetVariantsRequest): Promise<Deployment> {
    return this.transport.json({ method: 'PUT', path: paths.variants(name), json: input }, deploymentSchema);
  }

  /** Every revision of the deployment, oldest first. */
  async revisions(name: string): Promise<Revision[]> {
    return (await this.transport.json({ method: 'GET', path: paths.revisions(name) }, revisionListSchema))
      .data;
  }

  /**
   * What each shadow variant of the served revision did with its copies of production traffic:
   * sent, dropped and failed, its latencies beside production's, how many outputs matched.
   * Empty when the revision has no shadow.
   */
  async shadows(name: string): Promise<ShadowReport[]> {
    return (await this.transport.json({ method: 'GET', path: paths.shadows(name) }, shadowReportListSchema))
      .data;
  }

  /** Stops serving; queued requests finish first. */
  delete(name: string): Promise<void> {
    return this.transport.empty({ method: 'DELETE', path: paths.deployment(name) });
  }
}
