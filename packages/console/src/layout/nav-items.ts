import type { Abilities } from '../access/abilities.js';

export interface NavItem {
  href: string;
  label: string;
  /** Shown only to a key that may use the page; the server still checks every call. */
  needs: keyof Abilities | null;
}

export const navItems: NavItem[] = [
  { href: '/', label: 'Overview', needs: null },
  { href: '/models', label: 'Models', needs: 'read' },
  { href: '/deployments', label: 'Deployments', needs: 'read' },
  { href: '/training', label: 'Training jobs', needs: 'manage' },
  { href: '/playground', label: 'Playgrounds', needs: 'infer' },
  { href: '/playground/chat', label: 'Chat playground', needs: 'infer' },
  { href: '/playground/image', label: 'Image playground', needs: 'infer' },
  { href: '/keys', label: 'Keys and projects', needs: 'admin' },
  { href: '/usage', label: 'Usage', needs: 'usage' },
  { href: '/audit', label: 'Audit log', needs: 'admin' },
];
