import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { bundleServer } from '../server/bundle/server-bundle.ts';

/** A target a figure must meet: at most or at least a bound, in a unit. */
export type Target = ({ atMost: number } | { atLeast: number }) & { unit: string; digits?: number };

/** One gated figure of one bench, as `npm run bench` collects them for its summary table. */
export interface FigureRecord {
  bench: string;
  figure: string;
  value: string;
  target: string;
  pass: boolean;
}

/** A bench's exit code when it ran to the end but missed a target (a crash exits 1). */
export const MISSED_TARGET_EXIT = 3;

/** Where `npm run bench` asks each bench to append its records (one JSON line each). */
export const FIGURES_FILE_ENV = 'CRUCIBLE_BENCH_FIGURES';

/**
 * Records a measured figure against its target: prints it with PASS or FAIL, and a miss makes the
 * bench exit non-zero (the rest of the bench still runs, so every figure is printed). Every bench
 * states its targets through this one function, so `npm run bench` can gate and tabulate them all.
 */
export function recordFigure(figure: string, value: number, target: Target): boolean {
  const digits = target.digits ?? 1;
  const pass = Number.isFinite(value) && ('atMost' in target ? value <= target.atMost : value >= target.atLeast);
  const record: FigureRecord = {
    bench: basename(process.argv[1] ?? 'bench'),
    figure,
    value: `${value.toFixed(digits)} ${target.unit}`.trim(),
    target: `${'atMost' in target ? `<= ${target.atMost}` : `>= ${target.atLeast}`} ${target.unit}`.trim(),
    pass,
  };
  console.log(`${figure}: ${record.value} (target ${record.target}) ${pass ? 'PASS' : 'FAIL'}`);
  if (!pass) process.exitCode = MISSED_TARGET_EXIT;
  const file = process.env[FIGURES_FILE_ENV];
  if (file) appendFileSync(file, `${JSON.stringify(record)}\n`);
  return pass;
}

/** Percentile of a sorted-on-demand sample (nearest rank). */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** A line of latencies, as the load benches print each request kind's: `  next   p50 1.7 ms  p95 5.6 ms  p99 12.0 ms`. */
export const latencyLine = (label: string, ms: number[]) =>
  `  ${label.padEnd(6)} p50 ${fmt(percentile(ms, 50))}  p95 ${fmt(percentile(ms, 95))}  p99 ${fmt(percentile(ms, 99))}`;

let bundledEntry: Promise<string[]> | null = null;

/**
 * The server a bench measures: the bundle `npm start` runs, built once per bench process into a
 * folder of dist/ (the bundle finds better-sqlite3 in the project's node_modules) and removed at
 * exit. With BENCH_SERVER=tsx, the sources under tsx instead, as in development (tsx adds its own
 * cost: each named function is wrapped to keep its name, and stack traces go through source maps).
 */
export function benchServerEntry(): Promise<string[]> {
  if (process.env.BENCH_SERVER === 'tsx') return Promise.resolve(['--import', 'tsx', 'server/main.ts']);
  bundledEntry ??= (async () => {
    const dir = mkdtempSync(join(resolve(import.meta.dirname, '..'), 'dist', 'bench-server-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    await bundleServer(dir);
    return [join(dir, 'main.js')];
  })();
  return bundledEntry;
}

/**
 * Starts the server (`entry`, by default benchServerEntry's) in its own process; resolves with its
 * URL. `nodeArgs` go to node itself (`--cpu-prof`, which NODE_OPTIONS does not accept).
 */
export async function startServerProcess(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  entry?: string[],
): Promise<{ url: string; child: ChildProcess; log: string[]; adminLink: string | null }> {
  const child = spawn(process.execPath, [...nodeArgs, ...(entry ?? (await benchServerEntry()))], {
    env: { ...process.env, CRUCIBLE_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  let buffer = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      log.push(d.toString());
      const m = /running at (http:\/\/\S+?)\/?\s/.exec(buffer);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${log.join('')}`)));
  });
  return { url, child, log, adminLink: /\n\s+(http:\/\/\S+\/join\/\S+)\n/.exec(buffer)?.[1] ?? null };
}

/** The account becomeFirstAdmin makes; signInAsBenchAdmin signs in with it. */
const BENCH_ADMIN = { email: 'bench@example.com', password: 'bench-password-123' };

/** Accepts the printed first-admin link; returns the admin's session cookie value and CSRF token. */
export async function becomeFirstAdmin(
  url: string,
  adminLink: string,
): Promise<{ cookie: string; token: string; csrf: string }> {
  const token = adminLink.split('/join/')[1]!;
  const res = await fetch(`${url}/api/auth/invites/${token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench admin', ...BENCH_ADMIN }),
  });
  if (res.status !== 201) throw new Error(`could not become admin: ${res.status} ${await res.text()}`);
  const { me } = (await res.json()) as { me: { csrfToken: string } };
  return sessionOf(res, me.csrfToken);
}

/** Signs in as the admin becomeFirstAdmin made (on a database an earlier server process set up). */
export async function signInAsBenchAdmin(url: string): Promise<{ cookie: string; token: string; csrf: string }> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_ADMIN),
  });
  if (res.status !== 200) throw new Error(`could not sign in as the bench admin: ${res.status} ${await res.text()}`);
  return sessionOf(res, ((await res.json()) as { csrfToken: string }).csrfToken);
}

/** The session a sign-in response set: its cookie, the cookie's token, and the session's CSRF token. */
function sessionOf(res: Response, csrf: string): { cookie: string; token: string; csrf: string } {
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { cookie, token: cookie.split('=')[1]!, csrf };
}

export async function stopServerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}
