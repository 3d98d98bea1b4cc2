import { type LoadOptions, RUNTIME_SPEC_VERSION, type RuntimeBackend } from '../contract.js';
import { FakeModel } from './fake-model.js';
import { parseFakeOptions } from './fake-options.js';

/**
 * A backend with no real inference, for routing and batching tests: the deployment's options set
 * its tensors, op, simulated compute time and failures (see fake-options.ts); the artifact is ignored.
 */
export const fakeBackend = {
  specificationVersion: RUNTIME_SPEC_VERSION,
  name: 'fake',
  load: async ({ options }: LoadOptions): Promise<FakeModel> => new FakeModel(parseFakeOptions(options)),
} as const satisfies RuntimeBackend;
