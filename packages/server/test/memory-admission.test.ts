import { describe, expect, it } from 'vitest';
import {
  estimateInstanceBytes,
  RUNNER_OVERHEAD_BYTES,
  residentBytes,
} from '../src/engine/instance-memory.js';
import { type IdleDeployment, planAdmission } from '../src/engine/memory-budget.js';
import { AppError } from '../src/platform/errors/index.js';

const idle = (name: string, bytes: number, lastUsedAt: number): IdleDeployment => ({
  deploymentId: `dep_${name}`,
  name,
  bytes,
  lastUsedAt,
});

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('memory admission', () => {
  it('unloads nothing when the start fits', () => {
    expect(
      planAdmission({ name: 'n', needBytes: 40, usedBytes: 60, budgetBytes: 100, idle: [idle('a', 60, 1)] }),
    ).toEqual([]);
  });

  it('unloads the least recently used idle deployments until the start fits', () => {
    const victims = planAdmission({
      name: 'n',
      needBytes: 50,
      usedBytes: 90,
      budgetBytes: 100,
      idle: [idle('recent', 30, 300), idle('oldest', 20, 100), idle('older', 20, 200)],
    });
    expect(victims.map((v) => v.name)).toEqual(['oldest', 'older']);
  });

  it('unloads nothing and says so when busy instances hold the rest (503)', () => {
    const err = refusal(() =>
      planAdmission({ name: 'n', needBytes: 50, usedBytes: 90, budgetBytes: 100, idle: [idle('a', 20, 1)] }),
    );
    expect([err.code, err.status, err.retryAfterS]).toEqual(['memory_budget_busy', 503, 1]);
    expect(err.message).toContain("'n' needs 50 bytes; 30 bytes of the memory budget (100 bytes)");
  });

  it('refuses a start bigger than the whole budget (507)', () => {
    const err = refusal(() =>
      planAdmission({ name: 'n', needBytes: 101, usedBytes: 0, budgetBytes: 100, idle: [] }),
    );
    expect([err.code, err.status, err.retryable]).toEqual(['memory_budget_exceeded', 507, false]);
    expect(err.message).toContain('needs 101 bytes, more than the whole memory budget of 100 bytes');
  });

  it('estimates from the artifact size and measures this process on Linux', () => {
    expect(estimateInstanceBytes(1000)).toBe(1500 + RUNNER_OVERHEAD_BYTES);
    const measured = residentBytes(process.pid);
    if (process.platform === 'linux') expect(measured).toBeGreaterThan(10 * 1024 * 1024);
    expect(residentBytes(2 ** 22 + 12_345)).toBeUndefined();
  });
});
