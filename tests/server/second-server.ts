import { join } from 'node:path';
import { readSse } from '../support/sse.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import type { TestServer } from '../support/test-server.ts';

// Two server processes on one PostgreSQL database: the test server (this process) and a second one
// started as `npm start` starts it, on the same database and the same scenarios folder, as a
// deployment behind a load balancer runs them (README: PostgreSQL).

/** Starts `server/main.ts` on `server`'s database, scenarios folder and models file. */
export function startSecondServer(server: TestServer, env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServerProcess({
    ...process.env,
    ...env,
    CRUCIBLE_PORT: '0',
    CRUCIBLE_DB: server.services.config.databasePath,
    CRUCIBLE_SCENARIOS: server.scenariosDir,
    CRUCIBLE_MODELS: server.services.config.modelsPath,
    CRUCIBLE_SECRETS: join(server.dir, 'none.env'),
    CRUCIBLE_ANNOTATIONS: join(server.dir, 'annotations'),
  });
}

/** fetch on `base` as a signed-in studio user (sessions live in the database: any process knows them). */
export function fetchAs(session: { cookie: string; csrf: string }, base: string) {
  return (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('cookie', session.cookie);
    headers.set('x-csrf-token', session.csrf);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    return fetch(`${base}${path}`, { ...init, headers });
  };
}

/** An open server-sent event stream whose events are collected as they arrive. */
export interface CollectedStream {
  events: { event: string; data: string }[];
  close(): void;
}

/** Opens an SSE endpoint and collects its events (pings left out) in the background. */
export async function collectEvents(
  fetchPath: (path: string, init?: RequestInit) => Promise<Response>,
  path: string,
): Promise<CollectedStream> {
  const controller = new AbortController();
  const res = await fetchPath(path, { signal: controller.signal });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  const events: { event: string; data: string }[] = [];
  void (async () => {
    try {
      for await (const e of readSse(res)) if (e.event !== 'ping') events.push(e);
    } catch {
      // aborted by close()
    }
  })();
  return { events, close: () => controller.abort() };
}
