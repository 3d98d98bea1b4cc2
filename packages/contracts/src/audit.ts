import { z } from 'zod';

/** Every management action the audit log records; routes name theirs in `config.audit`. */
export const auditActions = [
  'project.create',
  'key.create',
  'key.revoke',
  'key.rotate',
  'model.create',
  'model.delete',
  'version.upload',
  'version.pull',
  'pull.cancel',
  'version.update',
  'alias.set',
  'alias.delete',
  'dataset.create',
  'dataset.delete',
  'deployment.create',
  'deployment.update',
  'deployment.delete',
  'deployment.scale',
  'rollout.start',
  'rollout.step',
  'rollout.breach',
  'rollout.pause',
  'rollout.resume',
  'rollout.promote',
  'rollout.abort',
  'rollout.rollback',
  'rollout.succeed',
  'rollout.fail',
  'price.set',
  'price.delete',
  'budget.set',
  'budget.delete',
  'training.create',
  'training.cancel',
] as const;
export const auditActionSchema = z.enum(auditActions);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const MAX_AUDIT_PAGE = 200;

export const auditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(50),
  /** Cursor: the `nextCursor` of the previous page; entries older than it follow. */
  before: z.string().min(1).max(100).optional(),
  action: auditActionSchema.optional(),
  /** Another project of the organization (needs `org_admin`); default the key's own. */
  project: z.string().min(1).max(100).optional(),
});
export type AuditQuery = z.input<typeof auditQuery>;

export const auditEntrySchema = z.object({
  id: z.string(),
  /** The project the action touched. */
  project: z.string().nullable(),
  /** The key that did it. */
  key: z.string().nullable(),
  action: z.string(),
  /** What it was done to: a key, project or budget id, a model or deployment name, `model:version`, `model@alias`. */
  target: z.string(),
  /** A few non-secret fields of the result (never a key's secret). */
  detail: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
  createdAt: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Newest first; `nextCursor` is null on the last page. */
export const auditListSchema = z.object({
  data: z.array(auditEntrySchema),
  nextCursor: z.string().nullable(),
});
export type AuditList = z.infer<typeof auditListSchema>;
