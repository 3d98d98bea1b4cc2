import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useSignedIn } from '../access/signed-in.js';
import { navItems } from './nav-items.js';

function isCurrent(href: string, location: string): boolean {
  return href === '/' ? location === '/' : location === href || location.startsWith(`${href}/`);
}

/** Header (who is signed in), the navigation of what this key may use, and the page. */
export function Shell({ children }: { children: ReactNode }) {
  const { self, can, signOut } = useSignedIn();
  const [location] = useLocation();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          Modelport
        </Link>
        <div className="who">
          <span className="key-name">
            Key <strong>{self.name}</strong> <span className="mono">{self.prefix}…</span> ·{' '}
            <span data-testid="scopes">{self.scopes.join(', ')}</span>
          </span>
          <button type="button" className="secondary" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label="Console">
        <ul>
          {navItems
            .filter((item) => item.needs === null || can[item.needs])
            .map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={isCurrent(item.href, location) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
