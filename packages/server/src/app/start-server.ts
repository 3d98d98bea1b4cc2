import type { Server as TlsServer } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { type BootstrapResult, bootstrapTenancy } from '../auth/index.js';
import type { Config } from '../config/index.js';
import { buildApp } from './build-app.js';
import { createPlatform, type Platform, type PlatformOptions } from './create-platform.js';
import { seedDemoModels } from './seed-demo.js';
import { readTlsFiles } from './tls-files.js';
import { MODELPORT_VERSION } from './version.js';

export interface RunningServer {
  app: FastifyInstance;
  platform: Platform;
  url: string;
  bootstrap: BootstrapResult;
  /**
   * Reads the certificate and key files again and serves new connections with them (`modelport
   * serve` calls it on SIGHUP); open connections keep theirs. A file that cannot be read or parsed
   * leaves the current ones in place and rejects.
   */
  reloadTls(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the store, makes sure a tenant and an admin key exist, seeds the demo and listens. */
export async function startServer(config: Config, options: PlatformOptions = {}): Promise<RunningServer> {
  const platform = await createPlatform(config, options);
  try {
    const bootstrap = await bootstrapTenancy(
      platform.store.db,
      platform.keys,
      platform.clock,
      config.adminKey,
    );
    const lifecycle = { draining: false };
    const app = await buildApp({
      ...platform,
      version: MODELPORT_VERSION,
      tls: readTlsFiles(config.tls),
      lifecycle,
    });
    await platform.deployments.restoreAll();
    await platform.rollouts.resumeAll();
    await platform.replicas.start();
    await platform.pulls.resumeAll();
    platform.engine.autoscaler.start();
    // Jobs left queued or interrupted by the last stop (or crash) resume from their checkpoints.
    await platform.training.scheduler.start();
    if (config.demo.enabled) await seedDemoModels(platform, bootstrap);
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    let closed = false;
    return {
      app,
      platform,
      url: `${config.tls.certFile ? 'https' : 'http'}://${host}:${port}`,
      bootstrap,
      async reloadTls() {
        const material = readTlsFiles(config.tls);
        if (!material) return;
        (app.server as unknown as TlsServer).setSecureContext(material);
        platform.log.info({ certFile: config.tls.certFile }, 'TLS certificate reloaded');
      },
      async close() {
        if (closed) return;
        closed = true;
        // Readiness turns false first; requests are still served until the delay is over.
        lifecycle.draining = true;
        if (config.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
        await closeGracefully(app);
        await platform.training.scheduler.close();
        platform.rollouts.close();
        await platform.pulls.close();
        await platform.engine.close();
        await platform.spares.close();
        await platform.limiter.close();
        await platform.ledger.close();
        await platform.store.close();
      },
    };
  } catch (err) {
    await platform.pulls.close();
    await platform.training.scheduler.close();
    await platform.engine.close();
    await platform.limiter.close();
    await platform.ledger.close();
    await platform.store.close();
    throw err;
  }
}

/**
 * Stops taking requests and waits for the ones in flight. Fastify closes the connections that are
 * idle when the close starts; a keep-alive connection whose response was still finishing then stays
 * open until its keep-alive timeout (72 s). Sweeping idle connections until the server has closed
 * ends each one as soon as its last response is done.
 */
async function closeGracefully(app: FastifyInstance): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}
