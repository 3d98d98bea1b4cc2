export { abortOnClose } from './abort-on-close.js';
export { installErrorHandling } from './error-handler.js';
export { refuseUndeclaredParameters } from './refuse-undeclared-parameters.js';
