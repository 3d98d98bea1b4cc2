export { AppError, type AppErrorOptions, isAppError } from './app-error.js';
export { type ErrorProtocol, protocolForUrl, renderError } from './render.js';
export { toAppError } from './to-app-error.js';
export { parseOrThrow, zodIssueError } from './zod-issue-error.js';
