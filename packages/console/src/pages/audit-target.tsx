import { Link } from 'wouter';

/** Where an audit entry's object lives in the console, from its action's kind and its target. */
export function auditTargetHref(action: string, target: string): string | null {
  if (!target) return null;
  const kind = action.slice(0, action.indexOf('.'));
  const enc = encodeURIComponent;
  switch (kind) {
    case 'model':
    case 'price':
      return `/models/${enc(target)}`;
    case 'version':
      return `/models/${enc(target.split(':')[0] ?? target)}`;
    case 'alias':
      return `/models/${enc(target.split('@')[0] ?? target)}`;
    case 'deployment':
    case 'rollout':
      return `/deployments/${enc(target)}`;
    case 'training':
      return `/training/${enc(target)}`;
    case 'key':
    case 'project':
    case 'budget':
      return '/keys';
    default:
      return null;
  }
}

export function AuditTarget({ action, target }: { action: string; target: string }) {
  const href = auditTargetHref(action, target);
  if (!href) return <>{target || '—'}</>;
  return <Link href={href}>{target}</Link>;
}
