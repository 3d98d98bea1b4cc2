import { z } from 'zod';
import { nameSchema } from './names.js';

export const modelTasks = [
  'tensor',
  'text-generation',
  'feature-extraction',
  'image-classification',
  'automatic-speech-recognition',
  'text-classification',
  'tabular',
] as const;
export const taskSchema = z.enum(modelTasks);
export type ModelTask = z.infer<typeof taskSchema>;

export const artifactFormats = ['onnx', 'gguf', 'folder'] as const;
export const artifactFormatSchema = z.enum(artifactFormats);
export type ArtifactFormat = z.infer<typeof artifactFormatSchema>;

export const createModelRequest = z.strictObject({
  name: nameSchema,
  task: taskSchema.default('tensor'),
  description: z.string().max(2000).default(''),
});
export type CreateModelRequest = z.input<typeof createModelRequest>;

export const modelSchema = z.object({
  name: z.string(),
  task: taskSchema,
  description: z.string(),
  project: z.string(),
  createdAt: z.string(),
  latestVersion: z.number().int().nullable(),
  aliases: z.record(z.string(), z.number().int()),
});
export type Model = z.infer<typeof modelSchema>;

export const modelListSchema = z.object({ data: z.array(modelSchema) });

export const tensorInfoSchema = z.object({
  name: z.string(),
  datatype: z.string(),
  shape: z.array(z.number().int()),
});
export type TensorInfo = z.infer<typeof tensorInfoSchema>;

export const onnxMetadataSchema = z.object({
  irVersion: z.number().int(),
  opsets: z.array(z.object({ domain: z.string(), version: z.number().int() })),
  producer: z.string(),
  inputs: z.array(tensorInfoSchema),
  outputs: z.array(tensorInfoSchema),
  initializerCount: z.number().int(),
  externalData: z.array(z.string()),
});
export type OnnxMetadata = z.infer<typeof onnxMetadataSchema>;

export const ggufMetadataSchema = z.object({
  ggufVersion: z.number().int(),
  architecture: z.string().nullable(),
  name: z.string().nullable(),
  contextLength: z.number().int().nullable(),
  embeddingLength: z.number().int().nullable(),
  blockCount: z.number().int().nullable(),
  parameterCount: z.number().int(),
  tensorCount: z.number().int(),
  quantization: z.string().nullable(),
  hasChatTemplate: z.boolean(),
});
export type GgufMetadata = z.infer<typeof ggufMetadataSchema>;

export const folderMetadataSchema = z.object({
  modelType: z.string().nullable(),
  files: z.array(z.object({ path: z.string(), sizeBytes: z.number().int() })),
  onnx: z.record(z.string(), onnxMetadataSchema),
});
export type FolderMetadata = z.infer<typeof folderMetadataSchema>;

/** Where a pulled version came from: the repository, the commit it resolved to, and its files. */
export const versionSourceSchema = z.object({
  type: z.literal('huggingface'),
  /** The Hub or mirror it was pulled from (`HF_ENDPOINT`). */
  endpoint: z.string(),
  repo: z.string(),
  /** The revision asked for (`main` when none was). */
  revision: z.string(),
  /** The commit that revision pointed at when the pull started; every file came from it. */
  commit: z.string(),
  files: z.array(z.object({ path: z.string(), sizeBytes: z.number().int(), sha256: z.string().nullable() })),
  pullId: z.string(),
});
export type VersionSource = z.infer<typeof versionSourceSchema>;

export const artifactMetadataSchema = z.object({
  onnx: onnxMetadataSchema.optional(),
  gguf: ggufMetadataSchema.optional(),
  folder: folderMetadataSchema.optional(),
  source: versionSourceSchema.optional(),
});
export type ArtifactMetadata = z.infer<typeof artifactMetadataSchema>;

/**
 * Pipeline settings, labels and runtime hints. Free-form here: the server checks a config against its
 * model's task and runtime when it is set (docs/tasks.md), other keys are kept for other readers.
 */
export const versionConfigSchema = z.record(z.string(), z.unknown());
export type VersionConfig = z.infer<typeof versionConfigSchema>;

export const modelVersionSchema = z.object({
  model: z.string(),
  version: z.number().int(),
  format: artifactFormatSchema,
  sha256: z.string(),
  sizeBytes: z.number().int(),
  createdAt: z.string(),
  config: versionConfigSchema,
  metadata: artifactMetadataSchema,
  aliases: z.array(z.string()),
});
export type ModelVersion = z.infer<typeof modelVersionSchema>;

export const versionListSchema = z.object({ data: z.array(modelVersionSchema) });

export const patchVersionRequest = z.strictObject({ config: versionConfigSchema });

export const setAliasRequest = z.strictObject({ version: z.number().int().min(1) });
export const aliasSchema = z.object({ model: z.string(), alias: z.string(), version: z.number().int() });
