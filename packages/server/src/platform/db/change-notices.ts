import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logger.js';
import type { Store } from './open-database.js';

const CHANNEL = 'modelport_changes';
/** Reconnection of the listening connection after the database went away: first wait, at most. */
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

/** What changed: a kind (`deployment`, …) and the id of the object. */
export interface ChangeNotice {
  kind: string;
  id: string;
}

/**
 * Tells the other API processes on the same database what this one changed, so they act on it at
 * once (PostgreSQL LISTEN/NOTIFY; a notice is sent after its transaction committed). Delivery is
 * at most once: a listener that lost its connection gets `onResync` once it is back, and reads the
 * state again. On SQLite only one process writes the store: notices go nowhere.
 */
export interface ChangeNotices {
  publish(notice: ChangeNotice): Promise<void>;
  /** Notices from other processes (never this one's own). */
  onNotice(listener: (notice: ChangeNotice) => void): void;
  /** After the listening connection came back: notices may have been missed. */
  onResync(listener: () => void): void;
  /** Starts listening (PostgreSQL); resolves once the first LISTEN is in place. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createChangeNotices(
  store: Store,
  databaseUrl: string | undefined,
  log: Logger,
): ChangeNotices {
  const sender = randomUUID();
  const noticeListeners: ((notice: ChangeNotice) => void)[] = [];
  const resyncListeners: (() => void)[] = [];
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const deliver = (payload: string | undefined) => {
    try {
      const message = JSON.parse(payload ?? '') as ChangeNotice & { sender?: string };
      if (message.sender === sender) return;
      for (const listener of noticeListeners) listener({ kind: message.kind, id: message.id });
    } catch (err) {
      log.warn({ err: String(err) }, 'a change notice could not be read');
    }
  };

  async function listen(): Promise<void> {
    if (!databaseUrl || closed) return;
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => {
      if (message.channel === CHANNEL) deliver(message.payload);
    });
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      await next.end().catch(() => {});
      throw err;
    }
    client = next;
    if (failures > 0) for (const listener of resyncListeners) listener();
    failures = 0;
  }

  /** The listening connection is gone (the database restarted, a network cut): listen again. */
  function lost(connection: pg.Client): void {
    if (closed || client !== connection) return;
    client = undefined;
    scheduleListen();
  }

  function scheduleListen(): void {
    if (closed) return;
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** failures++);
    retryTimer = setTimeout(() => {
      listen().catch((err: unknown) => {
        log.warn({ err: String(err) }, 'change notices: the database is away, listening again later');
        scheduleListen();
      });
    }, delay);
    retryTimer.unref();
  }

  return {
    async publish(notice) {
      if (store.dialect !== 'postgres') return;
      const payload = JSON.stringify({ ...notice, sender });
      await sql`select pg_notify(${CHANNEL}, ${payload})`.execute(store.db);
    },
    onNotice: (listener) => void noticeListeners.push(listener),
    onResync: (listener) => void resyncListeners.push(listener),
    async start() {
      if (store.dialect === 'postgres') await listen();
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const open = client;
      client = undefined;
      await open?.end().catch(() => {});
    },
  };
}
