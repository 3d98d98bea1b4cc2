import { z } from 'zod';
import { taskSchema, versionConfigSchema } from './models.js';

/**
 * A pull from the Hugging Face Hub (or a mirror) into a model's versions, as docs/hub.md tells:
 * `queued` → `downloading` → `verifying` → `registering` → `succeeded`, or `failed` / `cancelled`.
 */
export const pullStates = [
  'queued',
  'downloading',
  'verifying',
  'registering',
  'succeeded',
  'failed',
  'cancelled',
] as const;
export const pullStateSchema = z.enum(pullStates);
export type PullState = z.infer<typeof pullStateSchema>;

/** The states a pull never leaves. */
export const finalPullStates: readonly PullState[] = ['succeeded', 'failed', 'cancelled'];

/** `POST /api/v1/models/{name}/versions` with a JSON body: pull instead of upload. */
export const pullRequestSchema = z.strictObject({
  /** `hf://org/repo[@revision][/path][:quantization]` */
  source: z.string().min(1).max(2048),
  /** The new version's config; merged over the one the pull derives (e.g. the ONNX `dtype`). */
  config: versionConfigSchema.optional(),
});
export type PullRequest = z.infer<typeof pullRequestSchema>;

export const pullPlanRequest = z.strictObject({ source: z.string().min(1).max(2048) });
export type PullPlanRequest = z.infer<typeof pullPlanRequest>;

/** A single file (GGUF, or one ONNX file) or a model folder (registered as a tar, as uploads are). */
export const pullKindSchema = z.enum(['file', 'folder']);
export type PullKind = z.infer<typeof pullKindSchema>;

export const pullFileSchema = z.object({
  /** The path in the repository. */
  path: z.string(),
  sizeBytes: z.number().int(),
  /** The Hub's sha256 of an LFS file (null for small files kept in git, which are not checked). */
  sha256: z.string().nullable(),
});
export type PullFile = z.infer<typeof pullFileSchema>;

/** What a source resolves to now: the commit, the files chosen and why (docs/hub.md). */
export const pullPlanSchema = z.object({
  source: z.string(),
  repo: z.string(),
  revision: z.string(),
  commit: z.string(),
  kind: pullKindSchema,
  files: z.array(pullFileSchema),
  bytesTotal: z.number().int(),
  /** The version config the pull gives (an ONNX folder's `dtype`). */
  config: versionConfigSchema,
  /** The Hub's `pipeline_tag`. */
  pipelineTag: z.string().nullable(),
  /** The model task that fits what is pulled, when one does. */
  task: taskSchema.nullable(),
  /** A model name made from the repository's name. */
  suggestedName: z.string(),
});
export type PullPlan = z.infer<typeof pullPlanSchema>;

export const pullJobSchema = z.object({
  id: z.string(),
  model: z.string(),
  source: z.string(),
  repo: z.string(),
  revision: z.string(),
  commit: z.string(),
  kind: pullKindSchema,
  state: pullStateSchema,
  bytesDone: z.number().int(),
  bytesTotal: z.number().int(),
  files: z.array(pullFileSchema.extend({ bytesDone: z.number().int() })),
  config: versionConfigSchema,
  /** The registered version, once `succeeded`. */
  version: z.number().int().nullable(),
  /** Why it `failed`: a catalog code (docs/errors.md) and a message. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type PullJob = z.infer<typeof pullJobSchema>;

export const pullListSchema = z.object({ data: z.array(pullJobSchema) });

export const MAX_PULL_PAGE = 200;

export const pullListQuery = z.strictObject({
  model: z.string().max(1024).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_PAGE).default(50),
});
export type PullListQuery = z.input<typeof pullListQuery>;
