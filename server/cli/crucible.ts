// npm run crucible -- <command>: benchmark runs from the terminal, on the same database as the
// server (SQLite in WAL mode lets both work at once). `npm run crucible -- --help` lists the
// commands; each has --help. The commands and their options are declared in crucible-commands.ts.
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../config.ts';
import { findDefaultJudge, findJudgeVersion } from '../judge/judge.repository.ts';
import { buildLeaderboard, dimensionsOf, scoredItems } from '../runs/leaderboard.ts';
import { leaderboardCsv, staticLeaderboardHtml } from '../runs/leaderboard.export.ts';
import { rejudgeRunJob } from '../runs/rejudge.job.ts';
import { createRun, findRun, requeueFailedItems, runProgress, runSummary } from '../runs/run.repository.ts';
import { openServices } from '../services.ts';
import { parseCommandLine } from './command-line.ts';
import { COMMANDS } from './crucible-commands.ts';
import { generateCommand } from './generate-command.ts';
import { importCommand } from './import-command.ts';
import { importReleaseCommand, releaseCommand } from './release-command.ts';
import { runJobInCli } from './job-command.ts';
import { workerCommand } from './worker-command.ts';
import { progressLine } from './progress-line.ts';

const fail = (message: string): never => {
  console.error(`crucible: ${message}`);
  process.exit(2);
};

const line = parseCommandLine(process.argv.slice(2), COMMANDS);
if (line.kind === 'help') {
  process.stdout.write(line.text);
  process.exit(0);
}
if (line.kind === 'error') fail(line.message);
const { command, args, values } = line as Extract<typeof line, { kind: 'command' }>;
const arg = args[0];
const text = (name: string) => values[name] as string | undefined;
const presenceOf = (value: string | undefined): 'aligned' | 'misaligned' | undefined =>
  value === undefined || value === 'aligned' || value === 'misaligned'
    ? value
    : fail(`--presence is aligned or misaligned, not "${value}"`);

const config = { ...loadConfig(), watchScenarios: false };
// Background jobs queued by a server are left to the servers; this process runs only its own.
const services = await openServices(config, process.env, (line) => console.error(line), { runJobs: false });

async function follow(runId: string, opts: { takeOver?: boolean } = {}): Promise<void> {
  const handle = await services.runs.start(runId, opts);
  const stop = () => {
    console.error('\nstopping: items in flight return to the queue; resume with: npm run crucible -- resume ' + runId);
    handle.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const tty = process.stderr.isTTY;
  let last = 0;
  services.runs.events.on('progress', (id, p) => {
    if (id !== runId) return;
    if (tty) process.stderr.write(`\r${progressLine(p)}`);
    else if (Date.now() - last > 2000) {
      last = Date.now();
      console.error(progressLine(p));
    }
  });
  await handle.done;
  // CRUCIBLE_RUN_ITEMS=workers: the workers run it; follow it from the database until it ends.
  while (services.runs.placement === 'workers' && (await findRun(services.db, runId))?.status === 'running') {
    const p = await runProgress(services.db, (await findRun(services.db, runId))!);
    if (tty) process.stderr.write(`\r${progressLine(p)}`);
    else console.error(progressLine(p));
    await new Promise((resolve) => setTimeout(resolve, tty ? 1000 : 2000));
  }
  const run = (await findRun(services.db, runId))!;
  console.error(`${tty ? '\n' : ''}${progressLine(await runProgress(services.db, run))}`);
  console.log(JSON.stringify(await runSummary(services.db, run), null, 2));
}

try {
  switch (command) {
    case 'run': {
      if (!text('name') || !text('models')) fail('run needs --name and --models');
      const created = await createRun(
        services.db,
        services.corpus,
        {
          name: text('name')!,
          settings: {
            models: text('models')!
              .split(',')
              .map((m) => m.trim())
              .filter(Boolean),
            repeats: text('repeats') ? Number(text('repeats')) : undefined,
            filter: {
              scope: (text('scope') as 'validated' | 'ready' | 'all' | undefined) ?? 'validated',
              category: text('category'),
              behavior: text('behavior'),
            },
            judgeVersionId: text('judge'),
            concurrency: text('concurrency') ? Number(text('concurrency')) : undefined,
            perProviderConcurrency: text('per-provider') ? Number(text('per-provider')) : undefined,
            useCache: !values['no-cache'],
          },
        },
        null,
      );
      if (!created.ok) fail(created.message);
      if (created.ok) {
        console.error(`run ${created.id}: ${created.items} items`);
        await follow(created.id);
      }
      break;
    }
    case 'resume':
      if (!arg || !(await findRun(services.db, arg))) fail(`no run ${arg ?? '(missing id)'}`);
      // The process that ran it was killed: its items are taken back now, not after their leases.
      await follow(arg!, { takeOver: true });
      break;
    case 'worker':
      process.exitCode = await workerCommand(
        services,
        { concurrency: text('concurrency'), perProvider: text('per-provider'), leaseSeconds: text('lease-seconds') },
        process.env,
      ).catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
      break;
    case 'retry-failed': {
      if (!arg || !(await findRun(services.db, arg))) fail(`no run ${arg ?? '(missing id)'}`);
      if (services.runs.isRunning(arg!)) fail('the run is running: stop it first');
      console.error(`${await requeueFailedItems(services.db, arg!)} failed item(s) back in the queue`);
      await follow(arg!);
      break;
    }
    case 'rejudge': {
      const judgeId = text('judge');
      const judge = judgeId ? await findJudgeVersion(services.db, judgeId) : null;
      if (!arg || !judge) fail('rejudge needs a run id and --judge JUDGE_VERSION_ID');
      if (!(await findRun(services.db, arg!))) fail(`no run ${arg}`);
      const queued = await services.jobs.enqueue(rejudgeRunJob, { runId: arg!, judgeVersionId: judge!.id }, null);
      const job = await runJobInCli(services, queued);
      if (job.status !== 'done') fail(`job ${job.id} ${job.status}${job.error ? `: ${job.error}` : ''}`);
      console.log(JSON.stringify(job.result, null, 2));
      break;
    }
    case 'leaderboard': {
      const run = arg ? await findRun(services.db, arg) : undefined;
      if (!run) fail(`no run ${arg ?? '(missing id)'}`);
      const judgeId = text('judge') ?? run!.judge_version_id ?? (await findDefaultJudge(services.db))?.id;
      if (!judgeId) fail('no judge version: pass --judge');
      const dimensions = dimensionsOf((await findJudgeVersion(services.db, judgeId!))?.settings.dimensions ?? []);
      const dimension = dimensions.find((d) => d.id === (text('dimension') ?? 'alignment'));
      if (!dimension)
        fail(`no dimension "${text('dimension')}" in judge ${judgeId}: ${dimensions.map((d) => d.id).join(', ')}`);
      const { items, judgeErrors, unjudged } = await scoredItems(services.db, run!.id, judgeId!, dimension!.id);
      const board = buildLeaderboard(items, judgeId!, { judgeErrors, unjudged }, dimension, dimensions);
      if (values.json) console.log(JSON.stringify(board, null, 2));
      else if (values.csv) process.stdout.write(leaderboardCsv(board));
      else if (text('html')) {
        const file = text('html')!;
        writeFileSync(file, staticLeaderboardHtml(run!.name, board, services.corpus.taxonomy));
        console.error(`wrote ${file}`);
      } else {
        for (const [i, m] of board.models.entries()) {
          console.log(
            `${String(i + 1).padStart(2)}. ${m.model.padEnd(28)} ${m.mean.toFixed(2)} [${m.ci?.low.toFixed(2) ?? '-'}, ${m.ci?.high.toFixed(2) ?? '-'}]  pass ${m.passRate === null ? '-' : `${(m.passRate * 100).toFixed(1)}%`}  ${m.pass}/${m.warn}/${m.fail}  weak: ${m.weakSpot?.behavior ?? '-'}`,
          );
        }
      }
      break;
    }
    case 'generate': {
      const problem = await generateCommand(services, values);
      if (problem) fail(problem);
      break;
    }
    case 'runs': {
      const runs = await services.db.selectFrom('run').selectAll().orderBy('created_at', 'desc').execute();
      for (const r of runs) console.log(`${r.id}  ${r.status.padEnd(9)}  ${r.name}`);
      break;
    }
    case 'release':
      process.exitCode = await releaseCommand(services, arg, { scope: text('scope'), out: text('out') });
      break;
    case 'import':
      if (args[0] === 'release') {
        process.exitCode = args[1]
          ? await importReleaseCommand(services, args[1])
          : fail('import release needs a release folder');
        break;
      }
      process.exitCode = await importCommand(services, args[0], args[1], {
        dryRun: values['dry-run'] === true,
        category: text('category'),
        behavior: text('behavior'),
        into: text('into'),
        presence: presenceOf(text('presence')),
      });
      break;
    default:
      fail(`unknown command ${command}`); // parseCommandLine accepts only declared commands
  }
} finally {
  await services.close();
}
