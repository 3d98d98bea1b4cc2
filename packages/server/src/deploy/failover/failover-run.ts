import type { Principal } from '../../auth/index.js';
import type { InstancePool } from '../../engine/index.js';
import { AppError } from '../../platform/errors/index.js';
import type { DeploymentWithModel } from '../repo.js';
import type { RequestRouting } from '../request-routing.js';
import { settingsOf } from './chain-settings.js';
import type { CoolDowns } from './cool-downs.js';
import { type ChainKind, type FailureVerdict, judgeFailure } from './judge-failure.js';

/** A request moved from one deployment of a chain to the next, and why (a catalog code, or `cooling_down`). */
export interface FailoverMove {
  from: string;
  to: string;
  reason: string;
}

export interface ChainDeps {
  findServed(p: Principal, name: string): Promise<DeploymentWithModel | undefined>;
  poolOf(
    row: DeploymentWithModel,
    version: string | undefined,
    options: { routing?: RequestRouting | undefined },
  ): Promise<InstancePool>;
  coolDowns: CoolDowns;
  moved(move: FailoverMove): void;
}

/** One request's way into a chain. */
export interface ChainRequest {
  /** A version the path or `model` field named: the named deployment only must serve it. */
  version?: string | undefined;
  routing?: RequestRouting | undefined;
  kind: ChainKind;
  /** The caller's: a request it withdrew is neither retried nor held against a deployment. */
  signal?: AbortSignal | undefined;
}

/** Where an attempt goes: a pool, and whether its deployment is a fallback of the one named. */
export interface ChainLink {
  readonly pool: InstancePool;
  readonly fallback: boolean;
}

interface Candidate {
  row: DeploymentWithModel;
  fallback: boolean;
}

type Link = ChainLink & Candidate;

/**
 * One request through a deployment's failover chain: the deployment it names, then its
 * `fallbacks` in order (one level: theirs are not followed; missing ones are skipped). A link
 * cooling down is tried only after every other one failed. The request moves on when routing or an
 * attempt fails in a way another deployment may not (see judge-failure.ts); attempts must send the
 * caller nothing before they succeed. A deployment without fallbacks is one link, judged by nobody.
 */
export class FailoverRun {
  private readonly pending: string[];
  private readonly deferred: Candidate[] = [];
  private readonly chained: boolean;
  private link: Link | undefined;
  private namedOffered = false;

  private constructor(
    private readonly deps: ChainDeps,
    private readonly principal: Principal,
    private readonly namedRow: DeploymentWithModel,
    private readonly request: ChainRequest,
  ) {
    this.pending = [...(settingsOf(namedRow).fallbacks ?? [])];
    this.chained = this.pending.length > 0;
  }

  /** Routes the request to the first link that takes it. */
  static async open(
    deps: ChainDeps,
    principal: Principal,
    named: DeploymentWithModel,
    request: ChainRequest,
  ): Promise<FailoverRun> {
    const run = new FailoverRun(deps, principal, named, request);
    await run.advance(undefined, undefined);
    return run;
  }

  /** The deployment the request named: its limits apply, whichever link answers. */
  get requested(): string {
    return this.namedRow.name;
  }

  /** The link the next attempt goes to (after `open`, the first one routed). */
  get current(): ChainLink {
    if (!this.link) throw new Error('the chain was not opened');
    return this.link;
  }

  /** Runs `attempt` on the current link and, while it fails in a way another may not, on the next ones. */
  async run<T>(attempt: (link: ChainLink) => Promise<T>): Promise<T> {
    for (;;) {
      const link = this.link;
      if (!link) throw new Error('the chain was not opened');
      try {
        const result = await attempt(link);
        if (this.chained) this.deps.coolDowns.succeeded(link.row.id);
        return result;
      } catch (err) {
        const verdict = this.judge(link.row, err);
        if (!verdict.failover) throw err;
        await this.advance({ from: link.row.name, reason: verdict.reason }, err);
      }
    }
  }

  /** Moves to the next link that routes; throws the latest failure when none is left. */
  private async advance(move: Omit<FailoverMove, 'to'> | undefined, failure: unknown): Promise<void> {
    let latest = failure;
    let from = move;
    for (;;) {
      const next = await this.nextCandidate();
      if (!next.candidate) throw latest ?? this.nothingRuns();
      const skipped = from ?? next.skipped;
      if (skipped) this.deps.moved({ ...skipped, to: next.candidate.row.name });
      try {
        this.link = await this.route(next.candidate);
        return;
      } catch (err) {
        const verdict = this.judge(next.candidate.row, err);
        if (!verdict.failover) throw err;
        latest = err;
        from = { from: next.candidate.row.name, reason: verdict.reason };
      }
    }
  }

  /** The next link by the chain's order, cooled-down ones last; `skipped` names a cooled one passed over. */
  private async nextCandidate(): Promise<{ candidate?: Candidate; skipped?: Omit<FailoverMove, 'to'> }> {
    let skipped: Omit<FailoverMove, 'to'> | undefined;
    for (let c = await this.nextInOrder(); c; c = await this.nextInOrder()) {
      if (!this.chained || !this.deps.coolDowns.isCooling(c.row.id))
        return { candidate: c, ...(skipped ? { skipped } : {}) };
      this.deferred.push(c);
      skipped ??= { from: c.row.name, reason: 'cooling_down' };
    }
    const candidate = this.deferred.shift();
    return candidate ? { candidate } : {};
  }

  private async nextInOrder(): Promise<Candidate | undefined> {
    if (this.namedOffered) return this.nextFallback();
    this.namedOffered = true;
    return { row: this.namedRow, fallback: false };
  }

  private async nextFallback(): Promise<Candidate | undefined> {
    for (let name = this.pending.shift(); name !== undefined; name = this.pending.shift()) {
      const row = await this.deps.findServed(this.principal, name);
      if (row && row.id !== this.namedRow.id) return { row, fallback: true };
    }
    return undefined;
  }

  /** The link's pool; the answer names its deployment from here on, even if routing fails. */
  private async route({ row, fallback }: Candidate): Promise<Link> {
    const { routing } = this.request;
    routing?.answered(row.name, fallback);
    // A fallback serves what it serves: no version, no variant of the named deployment; same session.
    const hints = fallback && routing ? { ...routing, target: undefined } : routing;
    const pool = await this.deps.poolOf(row, fallback ? undefined : this.request.version, { routing: hints });
    return { pool, fallback, row };
  }

  private nothingRuns(): AppError {
    return new AppError('model_not_ready', `No deployment of '${this.namedRow.name}'s chain is running.`, {
      retryAfterS: 1,
    });
  }

  /** What a failure means here; in a chain, it is held against the deployment that failed. */
  private judge(row: DeploymentWithModel, err: unknown): FailureVerdict {
    const verdict = judgeFailure(err, this.request.kind);
    if (!this.chained || this.request.signal?.aborted) return { ...verdict, failover: false };
    const { coolDowns } = this.deps;
    if (verdict.counts) coolDowns.failed(row.id, row.name, settingsOf(row).failover);
    if (verdict.retryAfterS !== undefined) coolDowns.retryAfter(row.id, row.name, verdict.retryAfterS);
    return verdict;
  }
}
