import { resolve } from 'node:path';
import { z } from 'zod';
import { parseDatabaseTarget } from './db/database-target.ts';

/** Everything the server is configured with; read once at start and passed in, so tests inject their own. */
export interface AppConfig {
  host: string;
  port: number;
  /**
   * The database: a SQLite file path (created with its folder) or a `postgres://` URL; migrated at
   * start. Checked by parseDatabaseTarget (db/database-target.ts).
   */
  databasePath: string;
  /** The scenario corpus: `<dir>/taxonomy.yaml` and `<dir>/<category>/<id>.yaml`. */
  scenariosDir: string;
  /** The built client (vite build output) served at `/`; absent in API-only tests. */
  clientDir: string | null;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Watch the scenarios folder and re-index on change. */
  watchScenarios: boolean;
  /** The models file (YAML): providers, models, helper roles. Absent: no models configured. */
  modelsPath: string;
  /** Local secrets (`NAME=value` lines) for provider keys not set in the environment; never committed. */
  secretsPath: string;
  /** Where exported human data is written (annotations/realism-<study>.jsonl, ...). */
  annotationsDir: string;
  /** The address people reach this server at, for links printed and sent (invites). */
  publicUrl: string | null;
  /**
   * A reverse proxy (TLS terminator, load balancer) stands in front: believe its X-Forwarded-For for
   * the client's address, and mark cookies Secure. Absent: off.
   */
  trustProxy?: boolean;
}

const EnvSchema = z.object({
  CRUCIBLE_HOST: z.string().min(1).default('127.0.0.1'),
  CRUCIBLE_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  CRUCIBLE_DB: z.string().min(1).default('data/crucible.sqlite'),
  CRUCIBLE_SCENARIOS: z.string().min(1).default('scenarios'),
  CRUCIBLE_CLIENT_DIR: z.string().min(1).default('dist/client'),
  CRUCIBLE_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(512 * 1024),
  CRUCIBLE_MODELS: z.string().min(1).default('crucible.models.yaml'),
  CRUCIBLE_SECRETS: z.string().min(1).default('data/secrets.env'),
  CRUCIBLE_ANNOTATIONS: z.string().min(1).default('annotations'),
  CRUCIBLE_PUBLIC_URL: z.url().optional(),
  CRUCIBLE_TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'], { message: 'use true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
});

/** Reads the configuration from environment variables (see README: Configuration); throws naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    host: e.CRUCIBLE_HOST,
    port: e.CRUCIBLE_PORT,
    databasePath: databaseSetting(e.CRUCIBLE_DB, cwd),
    scenariosDir: resolve(cwd, e.CRUCIBLE_SCENARIOS),
    clientDir: resolve(cwd, e.CRUCIBLE_CLIENT_DIR),
    maxBodyBytes: e.CRUCIBLE_MAX_BODY_BYTES,
    watchScenarios: true,
    modelsPath: resolve(cwd, e.CRUCIBLE_MODELS),
    secretsPath: resolve(cwd, e.CRUCIBLE_SECRETS),
    annotationsDir: resolve(cwd, e.CRUCIBLE_ANNOTATIONS),
    publicUrl: e.CRUCIBLE_PUBLIC_URL ?? null,
    trustProxy: e.CRUCIBLE_TRUST_PROXY,
  };
}

/** A postgres:// URL as it is, a path resolved; any other URL scheme is an error naming CRUCIBLE_DB. */
function databaseSetting(value: string, cwd: string): string {
  const target = parseDatabaseTarget(value, cwd);
  return target.kind === 'sqlite' ? target.path : target.url;
}
