// A throwaway PostgreSQL cluster for tests and benches: Debian's server binaries, a cluster in a
// temp folder, listening on 127.0.0.1 only, trust authentication, no fsync (it is deleted after).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The newest /usr/lib/postgresql/<version>/bin holding initdb and postgres, or null. */
export function findPostgresqlBin(): string | null {
  if (process.env.CRUCIBLE_PG_BIN) return process.env.CRUCIBLE_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin/initdb')) && existsSync(join(root, v, 'bin/postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0]!, 'bin') : null;
}

export interface PostgresqlCluster {
  /** Connection URL of the `postgres` maintenance database, as the superuser `postgres`. */
  adminUrl: string;
  /** The URL of another database on this cluster. */
  urlOf(database: string): string;
  stop(): Promise<void>;
}

// PostgreSQL refuses to run as root (its files would be root's to attack). As root we run it as
// `nobody`, owner of the cluster folder, through runuser; as anyone else, as ourselves.
const NOBODY = 65534;
function asServerUser(bin: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'nobody', '--', bin, ...args]] : [bin, args];
}

// A run that was killed leaves its folder (its watchdog stopped the server, which removed
// postmaster.pid on the way out): clear those, never a folder whose server still runs.
function removeStaleClusters(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('crucible-pg-')) continue;
    const dir = join(tmpdir(), name);
    if (!existsSync(join(dir, 'data/postmaster.pid'))) rmSync(dir, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** initdb's a cluster in a temp folder and starts it on a free port of 127.0.0.1; stop() removes it. */
export async function startPostgresqlCluster(): Promise<PostgresqlCluster> {
  removeStaleClusters();
  const bin = findPostgresqlBin();
  if (!bin)
    throw new Error('PostgreSQL not found under /usr/lib/postgresql/*/bin: run tsx tests/setup/ensure-postgresql.ts');
  const dir = mkdtempSync(join(tmpdir(), 'crucible-pg-'));
  if (process.getuid?.() === 0) chownSync(dir, NOBODY, NOBODY);
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const [initCmd, initArgs] = asServerUser(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-locale',
    '-E',
    'UTF8',
    '--no-sync',
    '--no-instructions',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  // A shell watchdog stops the server (fast shutdown) once this process is gone, even killed: a
  // test run cut short leaves no cluster behind. (/proc, not kill -0: nobody may not signal root.)
  const watchdog = `"$0" "$@" & pg=$!; while [ -d /proc/${process.pid} ] && kill -0 $pg 2>/dev/null; do sleep 1; done; kill -INT $pg 2>/dev/null; wait $pg`;
  const [cmd, args] = asServerUser('/bin/sh', [
    '-c',
    watchdog,
    join(bin, 'postgres'),
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=400',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'shared_buffers=64MB',
  ]);
  const server = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const exited = new Promise<void>((res) => server.once('exit', () => res()));
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitUntilReady(adminUrl, () => log, server);
  return {
    adminUrl,
    urlOf: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async stop() {
      // SIGINT is PostgreSQL's fast shutdown: sessions are cut, nothing waited for. The postmaster's
      // pid is the first line of postmaster.pid (the process we spawned is its watchdog shell).
      if (server.exitCode === null) {
        const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        if (pid > 0) process.kill(pid, 'SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilReady(url: string, log: () => string, server: ReturnType<typeof spawn>): Promise<void> {
  const { default: pg } = await import('pg');
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`PostgreSQL stopped at start:\n${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (e) {
      await client.end().catch(() => {});
      if (Date.now() > deadline)
        throw new Error(`PostgreSQL did not accept connections in 60 s: ${String(e)}\n${log()}`, { cause: e });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
