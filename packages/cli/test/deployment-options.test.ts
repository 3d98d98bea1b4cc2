import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli-errors.js';
import { createDeploymentRequestFrom, updateDeploymentRequestFrom } from '../src/deployment-request.js';
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
      'nothing to change: pass --version, --instances or both',
    );
    expect(refusal(() => updateDeploymentRequestFrom({ instances: 65 }))).toMatch(/^--instances: Too big/);
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
