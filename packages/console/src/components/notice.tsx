import type { ReactNode } from 'react';
import { ApiError } from '../api/api-error.js';

/** An error as the server stated it; a 403 says plainly that this key may not do it. */
export function ErrorNotice({ error, action }: { error: unknown; action?: string }) {
  if (error instanceof ApiError && error.forbidden) {
    return (
      <div className="notice forbidden" role="alert">
        <p>
          <strong>Not allowed (403 {error.code}).</strong> This key may not {action ?? 'do this'}:{' '}
          {error.message}
        </p>
      </div>
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  const detail = error instanceof ApiError ? ` (${error.status} ${error.code})` : '';
  return (
    <div className="notice error" role="alert">
      <p>
        <strong>Failed{detail}.</strong> {message}
        {error instanceof ApiError && error.requestId ? (
          <span className="muted"> Request id {error.requestId}.</span>
        ) : null}
      </p>
    </div>
  );
}

/** Why a part of the page is not shown: the key lacks a scope. */
export function NeedsScope({ scope, children }: { scope: string; children?: ReactNode }) {
  return (
    <p className="muted">
      {children ?? 'Hidden:'} needs a key with the <code>{scope}</code> scope.
    </p>
  );
}
