export { ConfigError, configEnvVars, type LoadConfigOptions, loadConfig } from './load-config.js';
export { type Config, type ConfigInput, configSchema } from './schema.js';
