import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { ApiError } from '../api/api-error.js';
import { api } from '../api/client.js';
import { type LedgerRow, parseLedgerCsv } from './ledger-row.js';

const POLL_MS = 3_000;
/** A row committed a little after a later one finished still gets read: each poll looks back this far. */
const LOOKBACK_MS = 5_000;
/** Beyond this many rows in the window the oldest are dropped (a very busy server). */
const MAX_ROWS = 50_000;

export interface LedgerWindow {
  rows: LedgerRow[];
  /** The server's clock at the last poll (from the `Date` header), epoch ms. */
  now: number;
}

interface Kept {
  rows: LedgerRow[];
  ids: Set<string>;
  cursor: number | null;
  /** The server's clock minus the browser's (from the `Date` header), so the window is the server's. */
  skewMs: number;
}

/**
 * The requests of the last `windowMs`, from the usage ledger: every metered request, whatever its
 * protocol. The first poll reads the whole window, later ones only what finished since the last.
 */
export function useLedgerWindow(windowMs: number, enabled: boolean) {
  const kept = useRef<Kept>({ rows: [], ids: new Set(), cursor: null, skewMs: 0 });
  return useQuery<LedgerWindow>({
    queryKey: ['ledger-window', windowMs],
    enabled,
    refetchInterval: POLL_MS,
    staleTime: 0,
    // Rows are new objects each poll anyway; comparing thousands of them would only cost time.
    structuralSharing: false,
    queryFn: async () => {
      const k = kept.current;
      const from = new Date(Math.max(k.cursor ?? 0, Date.now() + k.skewMs - windowMs)).toISOString();
      const { data, error, response } = await api.GET('/api/v1/usage/export', {
        params: { query: { from } },
        parseAs: 'text',
      });
      if (!response.ok) throw ApiError.from(response, safeJson(error));
      // The header has whole seconds: the rows' own times keep the window from lagging behind.
      const dated = Date.parse(response.headers.get('date') ?? '') || Date.now();
      const fresh = parseLedgerCsv(typeof data === 'string' ? data : '').filter(
        (r) => !k.ids.has(r.requestId),
      );
      const now = fresh.reduce((max, r) => Math.max(max, r.finishedAt), dated);
      const rows = [...k.rows, ...fresh].filter((r) => r.finishedAt > now - windowMs).slice(-MAX_ROWS);
      const newest = rows.reduce((max, r) => Math.max(max, r.finishedAt), 0);
      kept.current = {
        rows,
        ids: new Set(rows.map((r) => r.requestId)),
        cursor: newest > 0 ? newest - LOOKBACK_MS : k.cursor,
        skewMs: dated - Date.now(),
      };
      return { rows, now };
    },
  });
}

/** openapi-fetch hands a text error body as text when asked to parse text. */
function safeJson(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}
