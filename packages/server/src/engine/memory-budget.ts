import { AppError } from '../platform/errors/index.js';

/** A deployment whose instances could be unloaded to make room: idle, serving no request. */
export interface IdleDeployment {
  deploymentId: string;
  name: string;
  bytes: number;
  /** When a request was last forwarded to it (or it started, if never). */
  lastUsedAt: number;
}

export interface AdmissionInput {
  /** The deployment about to start and what its instances are expected to hold. */
  name: string;
  needBytes: number;
  /** What every running or starting instance holds now, the idle ones included. */
  usedBytes: number;
  budgetBytes: number;
}

/**
 * Which idle deployments to unload, least recently used first, so `needBytes` fits the budget.
 * Nothing is unloaded when even unloading every idle one would not make room: the start fails
 * with the catalogued error naming needed and available bytes.
 */
export function planAdmission<T extends IdleDeployment>(input: AdmissionInput & { idle: readonly T[] }): T[] {
  const { name, needBytes, budgetBytes } = input;
  if (needBytes > budgetBytes) {
    throw new AppError(
      'memory_budget_exceeded',
      `Deployment '${name}' needs ${needBytes} bytes, more than the whole memory budget of ` +
        `${budgetBytes} bytes (MODELPORT_MEMORY_BUDGET_BYTES).`,
    );
  }
  let used = input.usedBytes;
  const victims: T[] = [];
  const byAge = [...input.idle].sort((a, b) => a.lastUsedAt - b.lastUsedAt);
  for (const candidate of byAge) {
    if (used + needBytes <= budgetBytes) break;
    victims.push(candidate);
    used -= candidate.bytes;
  }
  if (used + needBytes > budgetBytes) {
    const available = Math.max(0, budgetBytes - used);
    throw new AppError(
      'memory_budget_busy',
      `Deployment '${name}' needs ${needBytes} bytes; ${available} bytes of the memory budget ` +
        `(${budgetBytes} bytes) are available even after unloading every idle deployment, and ` +
        'the rest is held by instances that are serving requests or starting.',
      { retryAfterS: 1 },
    );
  }
  return victims;
}
