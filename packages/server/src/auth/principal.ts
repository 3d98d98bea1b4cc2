import type { KeyLimits, Scope } from '@modelport/contracts';

/** Who is calling: resolved once per request by the auth hook, passed to services. */
export interface Principal {
  keyId: string;
  projectId: string;
  organizationId: string;
  scopes: readonly Scope[];
  /** Model allow-list; null means every model of the project. */
  models: readonly string[] | null;
  limits: KeyLimits | null;
}

/**
 * Scopes that reach beyond one project: `org_admin`, and `metrics` (Prometheus metrics are the
 * whole server's and name every project's models), so only an `org_admin` key grants them.
 */
export const organizationScopes: readonly Scope[] = ['org_admin', 'metrics'];

/** `org_admin` may do everything; `admin` everything in its project, so not the organization's scopes. */
export function hasScope(principal: Principal, accepted: readonly Scope[]): boolean {
  if (principal.scopes.includes('org_admin')) return true;
  if (principal.scopes.includes('admin')) return accepted.some((s) => !organizationScopes.includes(s));
  return accepted.some((s) => principal.scopes.includes(s));
}

export function mayUseModel(principal: Principal, modelName: string): boolean {
  return principal.models === null || principal.models.includes(modelName);
}
