export { type SchemaTranslation, translateJsonSchema } from './json-schema-translate.js';
export { type LlamaLoadOptions, llamaBackend, loadLlm } from './llama-backend.js';
