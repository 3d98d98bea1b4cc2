export { fakeBackend } from './fake-backend.js';
export { type FakeCall, FakeModel } from './fake-model.js';
export { type FakeOp, type FakeOptions, parseFakeOptions } from './fake-options.js';
