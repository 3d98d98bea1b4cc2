import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/index.js';
import { clientRequestIdOf } from '../../observability/index.js';
import type { MeterTarget } from './meter-target.js';
import type { Admission, UsageGateway } from './usage-gateway.js';

export interface TokenCount {
  promptTokens: number;
  completionTokens: number;
}

/** A tensor request's count: shared by every meter rather than a closure each. */
const noTokens = (): TokenCount => ({ promptTokens: 0, completionTokens: 0 });

/** Status recorded for a request whose client left before the response was complete. */
export const CLIENT_CLOSED_STATUS = 499;

/**
 * One request's usage. A route calls `reach` once it knows the model (limits and budget are
 * checked then, before any work); from there exactly one ledger row is written: when the response
 * is sent (the reply waits for the commit), when a stream ends, or when the client leaves.
 */
export class RequestMeter {
  private target: MeterTarget | undefined;
  private admission: Admission | undefined;
  private reachedAt = 0;
  private readonly startedAt = new Date();
  private finished: Promise<void> | undefined;
  private tokens: () => TokenCount = noTokens;
  queueMs: number | undefined;
  computeMs: number | undefined;
  /** The catalog code of a failure after the response started (a stream's error event). */
  errorCode: string | undefined;

  constructor(
    private readonly gateway: UsageGateway,
    private readonly principal: Principal,
    private readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
  ) {}

  get reached(): boolean {
    return this.target !== undefined;
  }

  /**
   * Before the body is read (a route's `preParsing`): refuses what needs no body: a full ledger,
   * limits with nothing left, a spent budget. `deployment` when the path names it.
   */
  precheck(deployment?: string, countsTokens = false): Promise<void> {
    return this.gateway.precheck(this.principal, deployment, countsTokens, (h) => this.reply.headers(h));
  }

  /** `estimatedTokens` (prompt tokens, for language models) takes part in tokens-per-minute limits. */
  async reach(target: MeterTarget, estimatedTokens?: number): Promise<void> {
    if (this.target) return;
    this.admission = await this.gateway.admit(this.principal, target, estimatedTokens, (h) =>
      this.reply.headers(h),
    );
    this.target = target;
    this.reachedAt = performance.now();
    // Covers streams and clients that leave: whichever of this and the response's own write comes first wins.
    this.reply.raw.once('close', () => {
      const status = this.reply.raw.writableFinished ? this.reply.raw.statusCode : CLIENT_CLOSED_STATUS;
      void this.finish(status).catch(() => undefined);
    });
  }

  /**
   * The deployment doing the work, when it is not the one reached (a fallback of a failover chain):
   * the row names it, while the limits and budget admitted at `reach` stay as they were.
   */
  servedBy(served: Pick<MeterTarget, 'deployment' | 'model' | 'version'>): void {
    const target = this.target;
    if (!target) return;
    const { deployment, model, version } = served;
    if (target.deployment === deployment && target.model === model && target.version === version) return;
    this.target = { ...target, deployment, model, version };
  }

  /** Where the request's tokens are read when its row is written (live counts for streams). */
  countTokens(source: () => TokenCount): void {
    this.tokens = source;
  }

  timing(queueMs: number, computeMs: number): void {
    this.queueMs = queueMs;
    this.computeMs = computeMs;
  }

  /** Writes the row once; later calls return the same commit. */
  finish(status: number, errorCode?: string): Promise<void> {
    if (!this.target || !this.admission) return Promise.resolve();
    if (this.finished) return this.finished;
    const tokens = this.tokens();
    this.finished = this.gateway.settle({
      principal: this.principal,
      admission: this.admission,
      row: {
        request_id: this.request.id,
        client_request_id: clientRequestId(this.request),
        project_id: this.principal.projectId,
        key_id: this.principal.keyId,
        model: this.target.model,
        deployment: this.target.deployment,
        version: this.target.version,
        endpoint: this.target.endpoint,
        status,
        error_code: this.errorCode ?? errorCode ?? (status === CLIENT_CLOSED_STATUS ? 'client_closed' : null),
        tokens_in: tokens.promptTokens,
        tokens_out: tokens.completionTokens,
        queue_ms: this.queueMs ?? 0,
        compute_ms: this.computeMs ?? performance.now() - this.reachedAt,
        started_at: this.startedAt.toISOString(),
        finished_at: new Date().toISOString(),
      },
    });
    return this.finished;
  }
}

function clientRequestId(request: FastifyRequest): string | null {
  return clientRequestIdOf(request.raw) ?? null;
}
