import type { RunnerSpec } from '../../wire/runner/index.js';

/** What the runner server reads of its spec: names for OIP answers, the default deadline, body size. */
export type RunnerServerSpec = Pick<RunnerSpec, 'modelName' | 'modelVersion' | 'timeoutMs' | 'maxBodyBytes'>;
