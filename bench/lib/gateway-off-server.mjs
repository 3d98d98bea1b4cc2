/**
 * For bench/gateway-overhead.mjs only: `modelport serve`'s start-up from the compiled server, but
 * with `buildApp(…, { gateway: false })`: no key checked, no limits, no usage ledger, and every
 * request runs as the configured admin key (MODELPORT_ADMIN_KEY) of the default project. Reads its
 * settings from the environment like `modelport serve`; prints `listening on <url>`; stops on
 * SIGTERM. Never serve anything with it: whoever reaches the port is admin.
 */
import { serverDist } from './paths.mjs';

const { buildApp, createPlatform, loadConfig, MODELPORT_VERSION } = await import(serverDist('index.js'));
const { bootstrapTenancy } = await import(serverDist('auth/index.js'));

const config = loadConfig();
if (!config.adminKey) throw new Error('set MODELPORT_ADMIN_KEY: its principal serves every request');
const platform = await createPlatform(config);
await bootstrapTenancy(platform.store.db, platform.keys, platform.clock, config.adminKey);
const principal = await platform.keys.authenticate(config.adminKey);
const app = await buildApp({ ...platform, version: MODELPORT_VERSION }, { gateway: false, principal });
await platform.deployments.restoreAll();
const url = await app.listen({ host: config.host, port: config.port });
process.stdout.write(`gateway off (bench only): listening on ${url}\n`);

const stop = async () => {
  await app.close();
  await platform.engine.close();
  await platform.limiter.close();
  await platform.ledger.close();
  await platform.store.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
