export type { ArtifactKind, ArtifactStore } from './artifact-store.js';
export { type ArtifactStoreOptions, createArtifactStore } from './create-artifact-store.js';
export { releaseArtifacts } from './release-artifacts.js';
export { createRegistryRepo } from './repo.js';
export { registryRoutes } from './routes.js';
export { createRegistryService, type RegistryService, type ResolvedVersion } from './service.js';
export { parseVersionRef, type VersionRef } from './version-ref.js';
