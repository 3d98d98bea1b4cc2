export * from './deployments.js';
export * from './errors.js';
export * from './keys.js';
export * from './models.js';
export * from './names.js';
export * from './predict.js';
