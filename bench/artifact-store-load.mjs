import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { infoFigure } from './lib/figure.mjs';
import { benchGgufLabel, llmThreads, withBenchGguf } from './lib/gguf-model.mjs';
import { startServerProcess } from './lib/server-process.mjs';

const SETTINGS = { threads: llmThreads, llm: { parallel: 1, contextSize: 512 } };

/** ms from `POST /api/v1/deployments` to its answer (the instance ready). */
async function timeDeploy(server, name) {
  const start = performance.now();
  await server.api.deploy(name, 'llm', 1, SETTINGS);
  return performance.now() - start;
}

/**
 * Model load time of make-gguf's 155M GGUF from an S3-protocol bucket with a cold local cache
 * (download, sha256 check, then the runner's load) ÷ from the data folder (the runner's load only),
 * each on a fresh server. The bucket is s3rver on loopback: the figure is the cost of the fetch
 * and verification path, not of a network.
 */
export async function artifactStoreLoad({ log }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-bench-s3-'));
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const { port } = await s3.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await client.send(new CreateBucketCommand({ Bucket: 'bench-models' }));
  client.destroy();
  try {
    return await withBenchGguf(async (file) => {
      const bytes = await readFile(file);
      const local = await startServerProcess();
      let localMs;
      try {
        await local.api.register('llm', bytes);
        localMs = await timeDeploy(local, 'local');
      } finally {
        await local.close();
      }
      const bucket = await startServerProcess({
        env: {
          MODELPORT_ARTIFACTS_URL: 's3://bench-models/m/',
          AWS_ENDPOINT_URL_S3: endpoint,
          MODELPORT_S3_FORCE_PATH_STYLE: 'true',
          MODELPORT_S3_ACCESS_KEY_ID: 'S3RVER',
          MODELPORT_S3_SECRET_ACCESS_KEY: 'S3RVER',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
      });
      let s3Ms;
      try {
        await bucket.api.register('llm', bytes);
        s3Ms = await timeDeploy(bucket, 's3');
      } finally {
        await bucket.close();
      }
      log(
        `${benchGgufLabel}: deployed from the data folder in ${Math.round(localMs)} ms, from the bucket (cold cache) in ${Math.round(s3Ms)} ms`,
      );
      return {
        id: 'artifact-store-load',
        title: 'Model load from an S3-protocol bucket (cold cache) ÷ from the data folder',
        figures: [
          infoFigure(`load ms, ${benchGgufLabel}, data folder`, localMs),
          infoFigure('load ms, the same from the bucket with a cold cache', s3Ms),
          infoFigure('bucket (cold cache) ÷ data folder', s3Ms / localMs),
        ],
        raw: { localMs, s3Ms, bytes: bytes.length },
        lines: [],
      };
    });
  } finally {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  }
}
