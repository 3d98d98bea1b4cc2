export { type BootstrapResult, bootstrapTenancy, type Tenant } from './bootstrap.js';
export { KeyCache } from './key-cache.js';
export { generateKey, hashKey, KEY_PREFIX, parseKey } from './key-format.js';
export { hasScope, mayUseModel, type Principal } from './principal.js';
export { createKeyRepo } from './repo.js';
export { createKeyService, type KeyService } from './service.js';
