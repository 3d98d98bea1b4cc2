import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.js';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'modelport-config-'));

describe('config', () => {
  it('has defaults for a bare start', () => {
    const config = loadConfig({ env: {}, cwd });
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe(path.join(cwd, 'data'));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.limits.maxArtifactBytes).toBe(64 * 1024 ** 3);
    expect(config.limits.memoryBudgetBytes).toBe(Math.floor(os.totalmem() * 0.75));
  });

  it('reads the memory budget from MODELPORT_MEMORY_BUDGET_BYTES', () => {
    const config = loadConfig({ env: { MODELPORT_MEMORY_BUDGET_BYTES: '8589934592' }, cwd });
    expect(config.limits.memoryBudgetBytes).toBe(8 * 1024 ** 3);
    expect(() => loadConfig({ env: { MODELPORT_MEMORY_BUDGET_BYTES: '8GiB' }, cwd })).toThrow(
      /limits\.memoryBudgetBytes \(MODELPORT_MEMORY_BUDGET_BYTES\)/,
    );
  });

  it('bounds datasets by default, and reads each bound from its variable', () => {
    expect(loadConfig({ env: {}, cwd }).datasets).toEqual({
      maxBytes: 512 * 1024 ** 2,
      maxRows: 1_000_000,
      maxColumns: 1_000,
      maxCells: 20_000_000,
      maxImages: 100_000,
      maxImagePixels: 40_000_000,
    });
    const env = {
      MODELPORT_DATASET_MAX_BYTES: '1',
      MODELPORT_DATASET_MAX_ROWS: '2',
      MODELPORT_DATASET_MAX_COLUMNS: '3',
      MODELPORT_DATASET_MAX_CELLS: '4',
      MODELPORT_DATASET_MAX_IMAGES: '5',
      MODELPORT_DATASET_MAX_IMAGE_PIXELS: '6',
    };
    expect(Object.values(loadConfig({ env, cwd }).datasets)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => loadConfig({ env: { MODELPORT_DATASET_MAX_ROWS: '0' }, cwd })).toThrow(
      /datasets\.maxRows \(MODELPORT_DATASET_MAX_ROWS\)/,
    );
  });

  it('takes the environment over the file, and overrides over both', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'modelport-config-'));
    writeFileSync(
      path.join(dir, 'modelport.yaml'),
      'port: 9000\nhost: 0.0.0.0\nlimits:\n  maxArtifactBytes: 1000\n',
    );
    const fromFile = loadConfig({ env: {}, cwd: dir });
    expect([fromFile.port, fromFile.host, fromFile.limits.maxArtifactBytes]).toEqual([9000, '0.0.0.0', 1000]);
    const fromEnv = loadConfig({ env: { MODELPORT_PORT: '9100', MODELPORT_DATA_DIR: '/tmp/x' }, cwd: dir });
    expect([fromEnv.port, fromEnv.dataDir, fromEnv.host]).toEqual([9100, '/tmp/x', '0.0.0.0']);
    const overridden = loadConfig({ env: { MODELPORT_PORT: '9100' }, cwd: dir, overrides: { port: '9200' } });
    expect(overridden.port).toBe(9200);
  });

  it('reads a JSON file named by MODELPORT_CONFIG', () => {
    const file = path.join(cwd, 'custom.json');
    writeFileSync(file, JSON.stringify({ port: 7000, metrics: { public: true } }));
    const config = loadConfig({ env: { MODELPORT_CONFIG: file }, cwd });
    expect(config.port).toBe(7000);
    expect(config.metrics.public).toBe(true);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        env: { MODELPORT_PORT: 'eighty', DATABASE_URL: 'mysql://x', MODELPORT_LOG_LEVEL: 'loud' },
        cwd,
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('MODELPORT_PORT');
    expect(problems).toContain('DATABASE_URL');
    expect(problems).toContain('MODELPORT_LOG_LEVEL');
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('refuses unknown keys in the file and a missing explicit file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'modelport-config-'));
    writeFileSync(path.join(dir, 'modelport.yaml'), 'prot: 80\n');
    expect(() => loadConfig({ env: {}, cwd: dir })).toThrow(/prot/);
    expect(() => loadConfig({ env: { MODELPORT_CONFIG: 'nope.yaml' }, cwd })).toThrow(/not found/);
  });
});
