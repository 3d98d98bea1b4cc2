import type { BackendName } from '../wire/runner/index.js';
import { RUNTIME_SPEC_VERSION, type RuntimeBackend } from './contract.js';

/**
 * Every backend, loaded on demand so a runner imports only its own (an ONNX runner never loads
 * llama.cpp or transformers.js). Typed by the one list of backend names, so none can be missing.
 */
const backends: Record<BackendName, () => Promise<RuntimeBackend>> = {
  onnx: async () => (await import('./onnx/index.js')).onnxBackend,
  llama: async () => (await import('./llama/index.js')).llamaBackend,
  transformers: async () => (await import('./transformers/index.js')).transformersBackend,
  fake: async () => (await import('./fake/index.js')).fakeBackend,
};

export async function backendNamed(name: BackendName): Promise<RuntimeBackend> {
  const backend = await backends[name]();
  if (backend.specificationVersion !== RUNTIME_SPEC_VERSION) {
    throw new Error(
      `backend '${name}' implements spec v${backend.specificationVersion}, runner needs v${RUNTIME_SPEC_VERSION}`,
    );
  }
  return backend;
}
