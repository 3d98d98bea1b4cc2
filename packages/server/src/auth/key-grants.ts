import type { Scope } from '@modelport/contracts';
import { AppError } from '../platform/errors/index.js';
import { organizationScopes, type Principal } from './principal.js';

/** A project admin must not mint, rotate or revoke its way up to the organization's powers. */
export function assertMayGrant(caller: Principal, scopes: readonly Scope[]): void {
  const reaching = scopes.filter((s) => organizationScopes.includes(s));
  if (reaching.length > 0 && !caller.scopes.includes('org_admin')) {
    throw new AppError(
      'insufficient_scope',
      `Only an \`org_admin\` key may grant or change keys with ${reaching.map((s) => `\`${s}\``).join(' or ')}.`,
    );
  }
}
