export { type Clock, systemClock } from './clock.js';
export { compiledPath } from './compiled-path.js';
export { base62Encode, newId, randomBase62, timeOrderedId } from './ids.js';
export { createLogger, type LogFormat, type Logger, resolveLogFormat } from './logger.js';
