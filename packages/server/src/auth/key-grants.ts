import type { Scope } from '@modelport/contracts';
import { AppError } from '../platform/errors/index.js';
import type { Principal } from './principal.js';

/** A project admin must not mint, rotate or revoke its way up to the organization's powers. */
export function assertMayGrant(caller: Principal, scopes: readonly Scope[]): void {
  if (scopes.includes('org_admin') && !caller.scopes.includes('org_admin')) {
    throw new AppError('insufficient_scope', 'Only an `org_admin` key may grant or change `org_admin` keys.');
  }
}
