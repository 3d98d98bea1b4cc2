import type { FastifyInstance } from 'fastify';
import { installAudit } from '../audit/index.js';
import type { Principal } from '../auth/index.js';
import { installAuth } from '../auth/index.js';
import { installLimits, installMetering } from '../usage/index.js';
import type { Platform } from './create-platform.js';

/**
 * `{ gateway: true }` (the default, and the only mode for serving): keys, limits and the usage
 * ledger on every request. `{ gateway: false }` is a measurement switch for
 * `bench/gateway-overhead.mjs` only: no key is checked, no limit applied, nothing metered (no
 * ledger rows), and every request runs as `principal`, so anyone who reaches the port is that
 * principal. Neither the config nor `modelport serve` can turn it on.
 */
export type GatewayMode = { gateway: true } | { gateway: false; principal: Principal };

type GatewayDeps = Pick<Platform, 'keys' | 'audit' | 'limiter' | 'usage'>;

/** The hooks between the caller and every route: who calls, the audit log, limits, metering. */
export function installGateway(app: FastifyInstance, deps: GatewayDeps, mode: GatewayMode): void {
  if (!mode.gateway) {
    const { principal } = mode;
    app.decorateRequest('principal', null);
    app.decorateRequest('usage', null);
    app.addHook('onRequest', async (request) => {
      request.principal = principal;
    });
    installAudit(app, deps.audit);
    return;
  }
  installAuth(app, { keys: deps.keys, publicPrefixes: ['/docs', '/health/', '/v2/health/'] });
  installAudit(app, deps.audit);
  installLimits(app, deps.limiter);
  installMetering(app, deps.usage);
}
