import { Gauge, type Registry } from 'prom-client';
import type { UsageLedger } from './usage-ledger.js';

/** The ledger's state at scrape time: rows waiting for their commit, rows and commits so far. */
export function registerLedgerMetrics(registry: Registry, ledger: UsageLedger): void {
  new Gauge({
    name: 'modelport_usage_ledger_backlog_rows',
    help: `Usage rows waiting for their commit (model requests get 503 at ${ledger.maxBacklog})`,
    registers: [registry],
    collect() {
      this.set(ledger.backlog);
    },
  });
  new Gauge({
    name: 'modelport_usage_ledger_committed_rows',
    help: 'Usage rows committed since start',
    registers: [registry],
    collect() {
      this.set(ledger.stats().rows);
    },
  });
  new Gauge({
    name: 'modelport_usage_ledger_commits',
    help: 'Ledger commits (transactions) since start; rows ÷ commits is the mean group size',
    registers: [registry],
    collect() {
      this.set(ledger.stats().batches);
    },
  });
}
