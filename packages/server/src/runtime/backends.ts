import { RUNTIME_SPEC_VERSION, type RuntimeBackend } from './contract.js';
import { fakeBackend } from './fake/index.js';
import { onnxBackend } from './onnx/index.js';

const backends: Record<string, RuntimeBackend> = { onnx: onnxBackend, fake: fakeBackend };

export function backendNamed(name: string): RuntimeBackend {
  const backend = backends[name];
  if (!backend) throw new Error(`unknown runtime backend '${name}'`);
  if (backend.specificationVersion !== RUNTIME_SPEC_VERSION) {
    throw new Error(
      `backend '${name}' implements spec v${backend.specificationVersion}, runner needs v${RUNTIME_SPEC_VERSION}`,
    );
  }
  return backend;
}
