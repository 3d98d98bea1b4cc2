import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli-errors.js';
import {
  createDeploymentRequestFrom,
  needsCurrentSettings,
  updateDeploymentRequestFrom,
} from '../src/deployment-request.js';
import { parseVersionRef } from '../src/option-parsers.js';
import { formatFigure } from '../src/render-shadows.js';

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('deployments create: the request', () => {
  it('holds only the options given, grouped as the contract has them, so the server fills the rest', () => {
    expect(createDeploymentRequestFrom('adder', {})).toEqual({ model: 'adder' });
    expect(
      createDeploymentRequestFrom('adder', {
        name: 'adder-live',
        version: 'production',
        instances: 2,
        maxBatchSize: 8,
        preferredBatchSizes: [4, 8],
        timeoutMs: 5000,
        contextSize: 4096,
        options: { executionProviders: ['cpu'] },
      }),
    ).toEqual({
      model: 'adder',
      name: 'adder-live',
      version: 'production',
      instances: 2,
      batching: { maxBatchSize: 8, preferredBatchSizes: [4, 8] },
      timeoutMs: 5000,
      llm: { contextSize: 4096 },
      options: { executionProviders: ['cpu'] },
    });
  });

  it('groups the autoscaling options and passes fallbacks', () => {
    expect(
      createDeploymentRequestFrom('adder', {
        minInstances: 0,
        maxInstances: 3,
        targetConcurrency: 2,
        scaleToZeroAfter: 60,
        maxHeldRequests: 20,
        fallbacks: ['backup'],
      }),
    ).toEqual({
      model: 'adder',
      autoscaling: {
        minInstances: 0,
        maxInstances: 3,
        targetConcurrency: 2,
        scaleToZeroAfterSeconds: 60,
        maxHeldRequests: 20,
      },
      fallbacks: ['backup'],
    });
    expect(refusal(() => createDeploymentRequestFrom('adder', { minInstances: 4, maxInstances: 2 }))).toMatch(
      /^--min-instances: minInstances cannot exceed maxInstances/,
    );
    expect(refusal(() => createDeploymentRequestFrom('adder', { maxInstances: 65 }))).toMatch(
      /^--max-instances: Too big/,
    );
  });

  it('refuses what the contract refuses, naming the option', () => {
    expect(refusal(() => createDeploymentRequestFrom('adder', { threads: 257 }))).toMatch(
      /^--threads: Too big/,
    );
    expect(refusal(() => createDeploymentRequestFrom('adder', { maxBatchSize: 2000 }))).toMatch(
      /^--max-batch-size: Too big/,
    );
    expect(refusal(() => createDeploymentRequestFrom('adder', { preferredBatchSizes: [4, 0] }))).toMatch(
      /^--preferred-batch-sizes: Too small/,
    );
    expect(refusal(() => createDeploymentRequestFrom('adder', { parallel: 65 }))).toMatch(/^--parallel: /);
    expect(
      refusal(() => createDeploymentRequestFrom('adder', { isolation: 'container' as 'thread' })),
    ).toMatch(/^--isolation: /);
    expect(createDeploymentRequestFrom('adder', { isolation: 'thread' })).toEqual({
      model: 'adder',
      isolation: 'thread',
    });
    expect(refusal(() => createDeploymentRequestFrom('Adder!', {}))).toMatch(/^<model>: /);
  });
});

describe('deployments update: the request', () => {
  it('a version, an instance count or both; nothing at all is refused', () => {
    expect(updateDeploymentRequestFrom({ version: 2 })).toEqual({ version: 2 });
    expect(updateDeploymentRequestFrom({ version: 'canary', instances: 3 })).toEqual({
      version: 'canary',
      instances: 3,
    });
    expect(refusal(() => updateDeploymentRequestFrom({}))).toBe(
      'nothing to change: pass --version, --instances, autoscaling, fallback or failover options',
    );
    expect(refusal(() => updateDeploymentRequestFrom({ instances: 65 }))).toMatch(/^--instances: Too big/);
  });

  it('lays autoscaling and failover flags over the current settings; --no- forms remove', () => {
    const current = {
      autoscaling: {
        minInstances: 1,
        maxInstances: 4,
        targetConcurrency: 4,
        stableWindowSeconds: 60,
        panicWindowSeconds: 6,
        panicThreshold: 2,
        scaleDownDelaySeconds: 30,
        scaleToZeroAfterSeconds: 300,
        maxHeldRequests: 100,
      },
      failover: { failureThreshold: 5, failureWindowSeconds: 10, coolDownSeconds: 30 },
    };
    const opts = { maxInstances: 8, coolDown: 5 };
    expect(needsCurrentSettings(opts)).toBe(true);
    expect(updateDeploymentRequestFrom(opts, current)).toEqual({
      autoscaling: { ...current.autoscaling, maxInstances: 8 },
      failover: { ...current.failover, coolDownSeconds: 5 },
    });
    // Without autoscaling yet: the flags given, the server's defaults for the rest.
    expect(updateDeploymentRequestFrom({ minInstances: 0 }, {})).toEqual({
      autoscaling: { minInstances: 0 },
    });
    expect(updateDeploymentRequestFrom({ autoscaling: false, fallbacks: false })).toEqual({
      autoscaling: null,
      fallbacks: [],
    });
    expect(needsCurrentSettings({ autoscaling: false, fallbacks: ['b'] })).toBe(false);
    expect(refusal(() => updateDeploymentRequestFrom({ autoscaling: false, maxInstances: 2 }))).toBe(
      '--no-autoscaling cannot be given with autoscaling options',
    );
    expect(refusal(() => updateDeploymentRequestFrom({ minInstances: 5 }, current))).toMatch(
      /^--min-instances: minInstances cannot exceed maxInstances/,
    );
  });

  it('--version reads a number as a version and anything else as an alias', () => {
    expect([parseVersionRef('2'), parseVersionRef('production')]).toEqual([2, 'production']);
    expect(() => parseVersionRef('0')).toThrow("'0' is not a version number.");
  });
});

describe('shadow figures', () => {
  it('keep three significant digits', () => {
    expect([0, 1, 4.2, 12.345, 1234.5, 0.000123456, 1.2345e-7].map(formatFigure)).toEqual([
      '0',
      '1',
      '4.2',
      '12.3',
      '1230',
      '0.000123',
      '1.23e-7',
    ]);
  });
});
