import { serve, type ServerType } from '@hono/node-server';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.ts';
import type { AppConfig } from '../../server/config.ts';
import type { Db } from '../../server/db/database.ts';
import type { ScenarioCorpus } from '../../server/scenarios/scenario.corpus.ts';
import { openServices, type Services } from '../../server/services.ts';
import { createSession, createUser } from '../../server/people/people.repository.ts';
import type { Role } from '../../schema/api/auth.ts';
import { createTestDatabase } from './test-database.ts';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const SHIPPED_TAXONOMY = join(PROJECT_ROOT, 'scenarios/taxonomy.yaml');

/** A signed-in person: fetch sends their session cookie and CSRF token. */
export interface TestSession {
  user: { id: string; role: Role; pseudonym: string; name: string };
  cookie: string;
  csrf: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export interface TestServer {
  url: string;
  /** The scenarios folder of this server (a temp copy). */
  scenariosDir: string;
  dir: string;
  corpus: ScenarioCorpus;
  db: Db;
  services: Services;
  /** Creates a person with this role and signs them in. */
  signIn(role: Role, opts?: { kind?: 'account' | 'invite' | 'prolific'; name?: string }): Promise<TestSession>;
  /** An admin session made at start: `server.fetch` uses it. */
  admin: TestSession;
  /** fetch as the admin (cookie and CSRF header set). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Scenario files to create, by path relative to the scenarios folder. */
  files?: Record<string, string>;
  /** Copy the shipped corpus (scenarios/) into the temp folder. */
  shippedCorpus?: boolean;
  /** Serve the built client from dist/client. */
  withClient?: boolean;
  watch?: boolean;
  maxBodyBytes?: number;
  /** The models file's YAML text (providers, models, roles). */
  models?: string;
  /** Environment the server reads provider keys from (instead of process.env). */
  env?: Record<string, string>;
  /** The local secrets file's text. */
  secrets?: string;
  /** Reuse this folder (and its database): a restart of an earlier server. */
  dir?: string;
  /** CRUCIBLE_TRUST_PROXY: believe X-Forwarded-For, mark cookies Secure. */
  trustProxy?: boolean;
  /** CRUCIBLE_PUBLIC_URL. */
  publicUrl?: string;
  /** As `npm start`: an index that holds scenarios is compared with the files once the test calls services.reconcileScenarios(). */
  reconcileWhileServing?: boolean;
}

/**
 * A real Crucible server on 127.0.0.1 with its own scenarios folder in a temp dir and its own
 * database: a SQLite file there, or a PostgreSQL database in the postgres test project (test-database.ts).
 */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'crucible-test-'));
  const scenariosDir = join(dir, 'scenarios');
  mkdirSync(scenariosDir, { recursive: true });
  if (opts.shippedCorpus) cpSync(join(PROJECT_ROOT, 'scenarios'), scenariosDir, { recursive: true });
  else cpSync(SHIPPED_TAXONOMY, join(scenariosDir, 'taxonomy.yaml'));
  if (opts.models !== undefined) writeFileSync(join(dir, 'models.yaml'), opts.models);
  if (opts.secrets !== undefined) writeFileSync(join(dir, 'secrets.env'), opts.secrets);
  for (const [rel, content] of Object.entries(opts.files ?? {})) {
    mkdirSync(dirname(join(scenariosDir, rel)), { recursive: true });
    writeFileSync(join(scenariosDir, rel), content);
  }
  const database = await createTestDatabase(dir);
  const config: AppConfig = {
    host: '127.0.0.1',
    port: 0,
    databasePath: database.url,
    scenariosDir,
    clientDir: opts.withClient ? join(PROJECT_ROOT, 'dist/client') : null,
    maxBodyBytes: opts.maxBodyBytes ?? 512 * 1024,
    watchScenarios: opts.watch ?? false,
    modelsPath: join(dir, 'models.yaml'),
    secretsPath: join(dir, 'secrets.env'),
    annotationsDir: join(dir, 'annotations'),
    publicUrl: opts.publicUrl ?? null,
    trustProxy: opts.trustProxy ?? false,
  };
  const services = await openServices(config, opts.env ?? {}, () => {}, {
    reconcileWhileServing: opts.reconcileWhileServing,
  });
  const app = createApp(services);
  const server: ServerType = await new Promise((res) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => res(s));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const signIn = async (
    role: Role,
    o: { kind?: 'account' | 'invite' | 'prolific'; name?: string } = {},
  ): Promise<TestSession> => {
    const user = await createUser(services.db, {
      role,
      kind: o.kind ?? (role === 'rater' ? 'invite' : 'account'),
      name: o.name ?? `Test ${role}`,
    });
    const session = await createSession(services.db, user.id);
    const cookie = `crucible_session=${session.token}`;
    return {
      user: { id: user.id, role, pseudonym: user.pseudonym, name: user.name },
      cookie,
      csrf: session.csrfToken,
      fetch: (path, init = {}) => {
        const headers = new Headers(init.headers);
        headers.set('cookie', cookie);
        headers.set('x-csrf-token', session.csrfToken);
        if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
        return fetch(`${url}${path}`, { ...init, headers });
      },
    };
  };
  const admin = await signIn('admin');
  return {
    signIn,
    admin,
    fetch: admin.fetch,
    url,
    scenariosDir,
    dir,
    corpus: services.corpus,
    db: services.db,
    services,
    async close() {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((res) => server.close(() => res()));
      await services.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
