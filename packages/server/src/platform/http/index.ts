export { installErrorHandling } from './error-handler.js';
