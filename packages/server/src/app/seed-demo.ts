import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ModelTask, VersionConfig } from '@modelport/contracts';
import { create as createTar } from 'tar';
import type { BootstrapResult, Principal } from '../auth/index.js';
import { trainIrisDemo } from '../training/index.js';
import type { Platform } from './create-platform.js';
import { sharedModelCatalog } from './shared-models.js';

/**
 * First start: the demo model the project trains itself (Iris → ONNX), and the sample models of a
 * shared models folder when one is present. Models that already exist are left alone.
 */
export async function seedDemoModels(platform: Platform, tenant: BootstrapResult): Promise<string[]> {
  const system: Principal = {
    keyId: 'system',
    projectId: tenant.projectId,
    organizationId: tenant.organizationId,
    scopes: ['admin'],
    models: null,
    limits: null,
  };
  const seeded: string[] = [];
  const existing = new Set((await platform.registry.listModels(system)).map((m) => m.name));
  if (!existing.has('iris')) {
    const demo = trainIrisDemo();
    await register(
      platform,
      system,
      'iris',
      'tabular',
      'Iris species from four measurements (trained at first start)',
      {
        body: Readable.from([Buffer.from(demo.onnx)]),
        config: demo.config,
      },
    );
    // Served at once, so the first inference needs no setup step.
    await platform.deployments.create(system, {
      model: 'iris',
      version: 'production',
      threads: 1,
      batching: { maxBatchSize: 16, maxQueueDelayMs: 1 },
    });
    seeded.push('iris');
  }
  const sharedDir = platform.config.demo.sharedModelsDir;
  if (!sharedDir || !existsSync(sharedDir)) return seeded;
  for (const entry of sharedModelCatalog) {
    const source = path.join(sharedDir, entry.path);
    if (existing.has(entry.name) || !existsSync(source)) continue;
    const body = entry.folder
      ? (createTar({ cwd: source, portable: true }, ['.']) as unknown as Readable)
      : createReadStream(source);
    const config = entry.labelsPath
      ? { ...entry.config, labels: await readLabels(path.join(sharedDir, entry.labelsPath)) }
      : entry.config;
    await register(platform, system, entry.name, entry.task, entry.description, { body, config });
    if (entry.deploy) await platform.deployments.create(system, { model: entry.name, ...entry.deploy });
    seeded.push(entry.name);
  }
  return seeded;
}

async function register(
  platform: Platform,
  p: Principal,
  name: string,
  task: ModelTask,
  description: string,
  upload: { body: NodeJS.ReadableStream; config: VersionConfig },
): Promise<void> {
  await platform.registry.createModel(p, { name, task, description });
  const version = await platform.registry.uploadVersion(p, name, upload);
  await platform.registry.setAlias(p, name, 'production', version.version);
  platform.log.info(
    { model: name, version: version.version, sha256: version.sha256 },
    'demo model registered',
  );
}

async function readLabels(file: string): Promise<string[]> {
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.map((line) => line.split(',')[1]?.trim() ?? line.trim());
}
