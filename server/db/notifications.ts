import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { parseDatabaseTarget } from './database-target.ts';

/**
 * Live events between the server processes of one database: a scenario re-indexed by one process,
 * a run's progress in another, reach the studio pages connected to any of them. PostgreSQL:
 * LISTEN/NOTIFY on one dedicated connection. SQLite: one process, so an in-process emitter.
 * Each process has an `origin`; `subscribe` delivers only other processes' messages (a process
 * hands its own events to its listeners directly).
 */
export interface Notifications {
  readonly origin: string;
  publish(channel: string, payload: unknown): Promise<void>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
  close(): Promise<void>;
}

// NOTIFY payloads must stay under 8,000 bytes; every event sent here is a small JSON object.
const MAX_PAYLOAD = 7900;

/** Opens the notifications of `CRUCIBLE_DB`'s database. */
export async function openNotifications(database: string): Promise<Notifications> {
  const target = parseDatabaseTarget(database);
  return target.kind === 'postgres' ? postgresNotifications(target.url) : inProcessNotifications();
}

/** One process only: nothing comes from elsewhere. */
export function inProcessNotifications(): Notifications {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const origin = randomUUID();
  return {
    origin,
    async publish() {},
    subscribe(channel, listener) {
      emitter.on(channel, listener);
      return () => emitter.off(channel, listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

async function postgresNotifications(url: string): Promise<Notifications> {
  const origin = randomUUID();
  const client = new pg.Client({ connectionString: url });
  // A lost connection must not crash the server: live events from other processes stop, the rest works.
  client.on('error', (e) => console.error(`notifications connection lost: ${e.message}`));
  await client.connect();
  // One query at a time on the connection, in order (LISTENs, then NOTIFYs as they come): pg
  // queues overlapping queries itself, but that is deprecated and goes in pg 9.
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = (text: string, values?: unknown[]) => {
    const done = queue.then(() => client.query(text, values));
    queue = done.catch(() => undefined);
    return done;
  };
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const listening = new Set<string>();
  client.on('notification', (n) => {
    if (!n.payload) return;
    const message = JSON.parse(n.payload) as { origin: string; payload: unknown };
    if (message.origin !== origin) emitter.emit(n.channel, message.payload);
  });
  return {
    origin,
    async publish(channel, payload) {
      const text = JSON.stringify({ origin, payload });
      if (text.length > MAX_PAYLOAD) throw new Error(`notification on ${channel} too large (${text.length} bytes)`);
      await inTurn('select pg_notify($1, $2)', [channel, text]);
    },
    subscribe(channel, listener) {
      if (!listening.has(channel)) {
        listening.add(channel);
        // A failed LISTEN (the connection lost) costs this channel's live events, not the process.
        inTurn(`listen ${client.escapeIdentifier(channel)}`).catch((e: unknown) =>
          console.error(`not listening for ${channel}: ${String(e)}`),
        );
      }
      emitter.on(channel, listener);
      return () => emitter.off(channel, listener);
    },
    async close() {
      emitter.removeAllListeners();
      await queue;
      await client.end();
    },
  };
}
