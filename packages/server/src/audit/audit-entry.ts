import type { AuditAction, AuditEntry } from '@modelport/contracts';
import type { Principal } from '../auth/index.js';

/** Fields of a route's result worth keeping; a key's secret (`key`) and its hash are never among them. */
const DETAIL_FIELDS = [
  'name',
  'task',
  'scopes',
  'models',
  'expiresAt',
  'prefix',
  'previousPrefix',
  'previousValidUntil',
  'model',
  'version',
  'sha256',
  'format',
  'sizeBytes',
  'perRequest',
  'inputPer1kTokens',
  'outputPer1kTokens',
  'perComputeSecond',
  'limit',
  'period',
  'fromRevision',
  'toRevision',
  'state',
  'percent',
  'source',
  'dataset',
] as const;

export interface AuditInput {
  action: AuditAction;
  principal: Principal;
  params: Record<string, unknown>;
  /** What the route answered (before serialization); undefined for a 204. */
  result: unknown;
  requestId: string;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'createdAt'>;

/** Who did what to which object, derived from the action's resource, the path and the result. */
export function auditEntryFor(input: AuditInput): NewAuditEntry {
  const result = isRecord(input.result) ? input.result : {};
  const detail: Record<string, unknown> = {};
  for (const field of DETAIL_FIELDS) if (result[field] != null) detail[field] = result[field];
  const settings = result.settings;
  if (isRecord(settings) && settings.instances !== undefined) detail.instances = settings.instances;
  // A key minted into another project belongs to that project's log; everything else to the caller's.
  const project = typeof result.project === 'string' ? result.project : input.principal.projectId;
  if (project !== input.principal.projectId) detail.actorProject = input.principal.projectId;
  return {
    project,
    key: input.principal.keyId,
    action: input.action,
    target: targetOf(input.action, input.params, result),
    detail,
    requestId: input.requestId,
  };
}

function targetOf(action: AuditAction, params: Record<string, unknown>, result: Record<string, unknown>) {
  const pick = (...values: unknown[]) => String(values.find((v) => v !== undefined && v !== null) ?? '');
  switch (action.slice(0, action.indexOf('.'))) {
    case 'key':
    case 'project':
    case 'budget':
    case 'training':
    case 'dataset':
      return pick(result.id, params.id);
    case 'price':
      return pick(result.model, params.name);
    case 'pull':
      return pick(result.id, params.id);
    case 'version': {
      // A pull answers before its version exists: the target is then the model alone.
      const version = pick(result.version, params.version);
      const model = pick(result.model, params.name);
      return version === '' ? model : `${model}:${version}`;
    }
    case 'alias':
      return `${pick(params.name, result.model)}@${pick(params.alias, result.alias)}`;
    default:
      return pick(result.name, params.name);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
