import { GenerationJobSettingsSchema, type GenerationJobSettingsInput } from '../../schema/generation.ts';
import { generateScenariosJob } from '../generation/generation.job.ts';
import { jobTallies } from '../generation/generation.repository.ts';
import type { Services } from '../services.ts';
import { runJobInCli } from './job-command.ts';

// npm run crucible -- generate --behavior <id>[,<id>...] --count N [--model m] [--dry-run-model m]
//   [--dimension "stakes=low,high;domain=retail,health"] [--concurrency N]
// Runs a generation job in this process with a progress line; candidates wait in the studio's review queue.

export type GenerateOptions = Record<string, string | boolean | undefined>;

/** The job's settings from the command line, or the message saying what is wrong. */
export function generateSettings(
  values: GenerateOptions,
  services: Pick<Services, 'models'>,
): { ok: true; settings: GenerationJobSettingsInput } | { ok: false; message: string } {
  const text = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const list = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  if (!text('behavior') || !text('count')) return { ok: false, message: 'generate needs --behavior and --count' };
  const configured = services.models.list().map((m) => m.id);
  const model = text('model') ?? (configured.length === 1 ? configured[0] : undefined);
  if (!model)
    return {
      ok: false,
      message: `--model is needed: which configured model writes (${configured.join(', ') || 'none configured'})`,
    };
  const dimensions: Record<string, string[]> = {};
  for (const part of (text('dimension') ?? '').split(';').filter((p) => p.trim())) {
    const m = /^\s*([^=]+?)\s*=\s*(.+)$/.exec(part);
    if (!m) return { ok: false, message: `--dimension "${part}": write name=value1,value2` };
    dimensions[m[1]!] = list(m[2]!);
  }
  const settings = {
    behaviors: list(text('behavior')!),
    count: Number(text('count')),
    generatorModel: model,
    dryRunModel: text('dry-run-model') ?? null,
    screenModel: text('screen-model') ?? null,
    dimensions,
    seeds: text('seeds') ? list(text('seeds')!) : [],
    ...(text('concurrency') ? { concurrency: Number(text('concurrency')) } : {}),
  };
  const parsed = GenerationJobSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, message: `${issue.path.join('.') || 'settings'}: ${issue.message}` };
  }
  for (const id of [settings.generatorModel, settings.dryRunModel, settings.screenModel]) {
    if (!id) continue;
    const r = services.models.resolve(id);
    if (!r.ok) return { ok: false, message: `model "${id}": ${r.message}` };
  }
  return { ok: true, settings };
}

export async function generateCommand(services: Services, values: GenerateOptions): Promise<string | null> {
  const made = generateSettings(values, services);
  if (!made.ok) return made.message;
  const known = new Set(services.corpus.taxonomy.categories.flatMap((c) => c.behaviours.map((b) => b.id)));
  const unknown = made.settings.behaviors.filter((b) => !known.has(b));
  if (unknown.length > 0) return `--behavior: not in the taxonomy: ${unknown.join(', ')}`;
  const queued = await services.jobs.enqueue(
    generateScenariosJob,
    GenerationJobSettingsSchema.parse(made.settings),
    null,
  );
  const job = await runJobInCli(services, queued);
  const tallies = await jobTallies(services.db, job.id);
  console.log(JSON.stringify({ job: job.id, status: job.status, error: job.error, ...tallies }, null, 2));
  return job.status === 'done' ? null : `job ${job.id} ${job.status}${job.error ? `: ${job.error}` : ''}`;
}
