import { parseCsv } from './csv.js';

/** One metered request of the usage ledger (`GET /api/v1/usage/export`). */
export interface LedgerRow {
  requestId: string;
  finishedAt: number;
  finishedIso: string;
  latencyMs: number;
  model: string;
  deployment: string;
  /** The model version that answered (0 when the export has no such column). */
  version: number;
  status: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
}

/** Rows of the export; columns are found by their header names, so an added column changes nothing. */
export function parseLedgerCsv(text: string): LedgerRow[] {
  const [header, ...lines] = parseCsv(text);
  if (!header) return [];
  const at = (name: string) => header.indexOf(name);
  const col = {
    id: at('request_id'),
    finished: at('finished_at'),
    started: at('started_at'),
    model: at('model'),
    deployment: at('deployment'),
    version: at('version'),
    status: at('status'),
    tokensIn: at('tokens_in'),
    tokensOut: at('tokens_out'),
    cost: at('cost'),
  };
  const rows: LedgerRow[] = [];
  for (const cells of lines) {
    const get = (i: number) => (i >= 0 ? (cells[i] ?? '') : '');
    const finishedIso = get(col.finished);
    const finishedAt = Date.parse(finishedIso);
    if (!get(col.id) || Number.isNaN(finishedAt)) continue;
    const startedAt = Date.parse(get(col.started));
    rows.push({
      requestId: get(col.id),
      finishedAt,
      finishedIso,
      latencyMs: Number.isNaN(startedAt) ? 0 : Math.max(0, finishedAt - startedAt),
      model: get(col.model),
      deployment: get(col.deployment),
      version: Number(get(col.version)) || 0,
      status: Number(get(col.status)),
      tokensIn: Number(get(col.tokensIn)) || 0,
      tokensOut: Number(get(col.tokensOut)) || 0,
      cost: Number(get(col.cost)) || 0,
    });
  }
  return rows;
}
