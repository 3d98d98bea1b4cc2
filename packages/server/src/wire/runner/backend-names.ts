/** The runtime backends a runner can load: the one list of their names. */
export const backendNames = ['onnx', 'llama', 'transformers', 'fake'] as const;
export type BackendName = (typeof backendNames)[number];
