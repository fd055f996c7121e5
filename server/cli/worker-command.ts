import { loadModelsConfig } from '../models/models.config.ts';
import { RunExecutor } from '../runs/run.executor.ts';
import { runPlacementFrom } from '../runs/run-placement.ts';
import { RunWorker } from '../runs/run-worker.ts';
import type { Services } from '../services.ts';
import { collectStartUpGarbage } from '../start-up-garbage.ts';

/**
 * `npm run crucible -- worker`: runs the items of running runs until stopped (SIGINT or SIGTERM:
 * the items it holds go back to the queue at once; a kill leaves them to their lease's expiry).
 * Its limits are its own: --concurrency in all, and per provider the models file's
 * `max_concurrency`, else --per-provider, else --concurrency.
 */
export async function workerCommand(
  services: Services,
  options: { concurrency?: string; perProvider?: string; leaseSeconds?: string },
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const number = (value: string | undefined, name: string, fallback: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a whole number from 1, not "${value}"`);
    return n;
  };
  const concurrency = number(options.concurrency, 'concurrency', 16);
  const perProvider = number(options.perProvider, 'per-provider', concurrency);
  const leaseMs = options.leaseSeconds
    ? number(options.leaseSeconds, 'lease-seconds', 30) * 1000
    : runPlacementFrom(env).leaseMs;
  const { config } = services;
  const providers = loadModelsConfig(config.modelsPath, config.secretsPath, env).file.providers;
  const limitOf = new Map(providers.map((p) => [p.id, p.max_concurrency ?? perProvider]));
  const log = (line: string) => console.error(line);
  const executor = new RunExecutor(services.db, services.corpus, services.models, {
    log,
    redact: services.redact,
    role: 'worker',
    leaseMs,
    limits: { concurrency, perProvider: (provider) => limitOf.get(provider) ?? perProvider },
  });
  // A server's start of a run reaches services.runs.events here (PostgreSQL: by NOTIFY): look at once.
  const worker = new RunWorker(services.db, executor, { log, startedRuns: services.runs.events });
  // What a server does once it listens, before this worker's first items (issue 20 point 2).
  await executor.warmUp();
  collectStartUpGarbage();
  worker.start();
  console.error(
    `worker ${executor.owner}: ${concurrency} items at once (per provider: ${[...limitOf].map(([p, n]) => `${p} ${n}`).join(', ') || perProvider}), leases of ${leaseMs / 1000} s`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.error('worker: stopping; the items held here go back to the queue');
  await worker.stop();
  return 0;
}
