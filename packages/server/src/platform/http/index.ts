export { abortOnClose } from './abort-on-close.js';
export { installErrorHandling } from './error-handler.js';
export { EventStream } from './event-stream.js';
export { refuseUndeclaredParameters } from './refuse-undeclared-parameters.js';
