export { buildApp } from './app/build-app.js';
export { createPlatform, type Platform } from './app/create-platform.js';
export type { GatewayMode } from './app/install-gateway.js';
export { seedDemoModels } from './app/seed-demo.js';
export { type RunningServer, startServer } from './app/start-server.js';
export { MODELPORT_VERSION } from './app/version.js';
export { generateKey, parseKey } from './auth/index.js';
export { type Config, ConfigError, configEnvVars, loadConfig } from './config/index.js';
