import type { FailoverSettings } from '@modelport/contracts';
import type { Principal } from '../../auth/index.js';
import type { Clock } from '../../platform/index.js';
import type { DeploymentWithModel } from '../repo.js';
import { checkFallbacks, type FallbackCheckDeps, withChainSettings } from './check-fallbacks.js';
import { type CoolDownEvent, type CoolDownStatus, CoolDowns } from './cool-downs.js';
import { type ChainDeps, type ChainRequest, type FailoverMove, FailoverRun } from './failover-run.js';

interface ChainsDeps extends Pick<ChainDeps, 'findServed' | 'poolOf'>, Pick<FallbackCheckDeps, 'taskOf'> {
  requireServed(p: Principal, name: string): Promise<DeploymentWithModel>;
  modelRef(p: Principal, model: string): Promise<{ name: string; version: string | undefined }>;
  clock: Clock;
}

/** What metrics and views read of failover: moves, cool-downs, and who is cooling down now. */
export interface FailoverState {
  onMove(listener: (move: FailoverMove) => void): void;
  onCoolDown(listener: (event: CoolDownEvent) => void): void;
  cooling(): { deploymentId: string; name: string; until: number }[];
  /** When (ms) a cooled-down deployment is tried again; undefined when it is not cooling down. */
  coolingUntil(deploymentId: string): number | undefined;
  /** Where a deployment stands in chains now (its view in the management API). */
  status(deploymentId: string, settings: FailoverSettings | undefined): CoolDownStatus;
}

/** Routes inference requests through failover chains; one cool-down state for the whole process. */
export function createFailoverChains(deps: ChainsDeps) {
  const coolDowns = new CoolDowns(() => deps.clock.now().getTime());
  const moveListeners: ((move: FailoverMove) => void)[] = [];
  const chainDeps: ChainDeps = {
    findServed: deps.findServed,
    poolOf: deps.poolOf,
    coolDowns,
    moved(move) {
      for (const listener of moveListeners) listener(move);
    },
  };

  /** The chain of the deployment `name` names, routed to its first link that takes the request. */
  async function servingChain(p: Principal, name: string, request: ChainRequest): Promise<FailoverRun> {
    return FailoverRun.open(chainDeps, p, await deps.requireServed(p, name), request);
  }

  const failover: FailoverState = {
    onMove: (listener) => void moveListeners.push(listener),
    onCoolDown: (listener) => coolDowns.onCoolDown(listener),
    cooling: () => coolDowns.cooling(),
    coolingUntil: (id) => coolDowns.cooling().find((c) => c.deploymentId === id)?.until,
    status: (id, settings) => coolDowns.status(id, settings),
  };

  const checkDeps: FallbackCheckDeps = { findServed: deps.findServed, taskOf: deps.taskOf };

  return {
    servingChain,

    /** Refuses (400 `invalid_fallbacks`) fallbacks a new deployment `self` cannot have. */
    checkFallbacks: (p: Principal, self: { name: string; task: string }, fallbacks: readonly string[]) =>
      checkFallbacks(checkDeps, p, self, fallbacks),

    /** The row with `fallbacks`/`failover` changed as asked, checked, not stored. */
    withChainSettings: (
      p: Principal,
      row: DeploymentWithModel,
      change: Parameters<typeof withChainSettings>[3],
    ) => withChainSettings(checkDeps, p, row, change),

    /** The chain for an API `model` field: `name`, `name:version` or `name@alias`. */
    async servingChainFor(
      p: Principal,
      model: string,
      request: Omit<ChainRequest, 'version'>,
    ): Promise<FailoverRun> {
      const { name, version } = await deps.modelRef(p, model);
      return servingChain(p, name, { ...request, version });
    },

    failover,

    /** A deleted deployment's cool-down state goes with it. */
    forgetFailures(deploymentId: string): void {
      coolDowns.forget(deploymentId);
    },
  };
}
