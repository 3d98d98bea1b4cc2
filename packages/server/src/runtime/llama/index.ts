export { type SchemaTranslation, translateJsonSchema } from './json-schema-translate.js';
export { type LlamaLoadOptions, loadLlm } from './llama-backend.js';
