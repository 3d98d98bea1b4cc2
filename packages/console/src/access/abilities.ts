import type { Scope } from '../api/types.js';

/** Scopes only an `org_admin` key grants: they reach beyond one project (as the server rules). */
const organizationScopes: readonly Scope[] = ['org_admin', 'metrics'];

/** Whether a key with `scopes` may call a route that accepts any of `accepted` (the server's rule). */
export function allows(scopes: readonly Scope[], accepted: readonly Scope[]): boolean {
  if (scopes.includes('org_admin')) return true;
  if (scopes.includes('admin')) return accepted.some((s) => !organizationScopes.includes(s));
  return accepted.some((s) => scopes.includes(s));
}

/** What the console shows or enables; the server checks every call again. */
export interface Abilities {
  /** List models and deployments. */
  read: boolean;
  /** Create models, upload, alias, deploy, scale, swap, steer rollouts. */
  manage: boolean;
  /** Call models (playgrounds). */
  infer: boolean;
  /** The usage report and ledger. */
  usage: boolean;
  /** Keys, budgets and the audit log of the project. */
  admin: boolean;
  /** Projects of the organization. */
  orgAdmin: boolean;
}

export function abilitiesOf(scopes: readonly Scope[]): Abilities {
  return {
    read: allows(scopes, ['manage', 'infer']),
    manage: allows(scopes, ['manage']),
    infer: allows(scopes, ['infer']),
    usage: allows(scopes, ['manage']),
    admin: allows(scopes, ['admin']),
    orgAdmin: allows(scopes, ['org_admin']),
  };
}
