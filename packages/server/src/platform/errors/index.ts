export { AppError, type AppErrorOptions, isAppError } from './app-error.js';
export { toAppError } from './to-app-error.js';
