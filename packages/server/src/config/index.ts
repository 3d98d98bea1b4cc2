export { ConfigError, configEnvVars, type LoadConfigOptions, loadConfig } from './load-config.js';
export { keepOrtTelemetryOff } from './ort-telemetry.js';
export { type Config, type ConfigInput, configSchema } from './schema.js';
