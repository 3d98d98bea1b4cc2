export type { ArtifactKind, ArtifactStore } from './artifact-store.js';
export { type ArtifactStoreOptions, createArtifactStore } from './create-artifact-store.js';
export { createHubClient } from './hub/hub-client.js';
export { createPullRepo } from './hub/pull-repo.js';
export { createPullService, type PullService } from './hub/pull-service.js';
export { createRegistryRepo } from './repo.js';
export { registryRoutes } from './routes.js';
export { createRegistryService, type RegistryService, type ResolvedVersion } from './service.js';
export { parseVersionRef, type VersionRef } from './version-ref.js';
