// npm run crucible -- <command>: benchmark runs from the terminal, on the same database as the
// server (SQLite in WAL mode lets both work at once).
//   run --name N --models a,b [--scope validated|ready|all] [--category C] [--behavior B]
//       [--repeats R] [--judge JUDGE_VERSION_ID] [--concurrency C] [--per-provider P] [--no-cache]
//   resume RUN_ID          continue a stopped or crashed run; finished items are not redone
//   rejudge RUN_ID --judge JUDGE_VERSION_ID
//   leaderboard RUN_ID [--judge JUDGE_VERSION_ID] [--dimension ID] [--json | --csv | --html FILE]
//   runs                   list runs
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { findDefaultJudge, findJudgeVersion } from '../judge/judge.repository.ts';
import { buildLeaderboard, dimensionsOf, scoredItems } from '../runs/leaderboard.ts';
import { leaderboardCsv, staticLeaderboardHtml } from '../runs/leaderboard.export.ts';
import { rejudgeRun } from '../runs/rejudge.ts';
import { createRun, findRun, runProgress, runSummary } from '../runs/run.repository.ts';
import { openServices } from '../services.ts';
import { progressLine } from './progress-line.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    models: { type: 'string' },
    scope: { type: 'string' },
    category: { type: 'string' },
    behavior: { type: 'string' },
    repeats: { type: 'string' },
    judge: { type: 'string' },
    concurrency: { type: 'string' },
    'per-provider': { type: 'string' },
    'no-cache': { type: 'boolean' },
    json: { type: 'boolean' },
    csv: { type: 'boolean' },
    html: { type: 'string' },
    dimension: { type: 'string' },
  },
});
const [command, arg] = positionals;
const fail = (message: string): never => {
  console.error(`crucible: ${message}`);
  process.exit(2);
};

const config = { ...loadConfig(), watchScenarios: false };
const services = await openServices(config, process.env, (line) => console.error(line));

async function follow(runId: string): Promise<void> {
  const handle = await services.runs.start(runId);
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
  const run = (await findRun(services.db, runId))!;
  console.error(`${tty ? '\n' : ''}${progressLine(await runProgress(services.db, run))}`);
  console.log(JSON.stringify(await runSummary(services.db, run), null, 2));
}

try {
  switch (command) {
    case 'run': {
      if (!values.name || !values.models) fail('run needs --name and --models');
      const created = await createRun(
        services.db,
        services.corpus,
        {
          name: values.name!,
          settings: {
            models: values
              .models!.split(',')
              .map((m) => m.trim())
              .filter(Boolean),
            repeats: values.repeats ? Number(values.repeats) : undefined,
            filter: {
              scope: (values.scope as 'validated' | 'ready' | 'all' | undefined) ?? 'validated',
              category: values.category,
              behavior: values.behavior,
            },
            judgeVersionId: values.judge,
            concurrency: values.concurrency ? Number(values.concurrency) : undefined,
            perProviderConcurrency: values['per-provider'] ? Number(values['per-provider']) : undefined,
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
      await follow(arg!);
      break;
    case 'rejudge': {
      const judge = values.judge ? await findJudgeVersion(services.db, values.judge) : null;
      if (!arg || !judge) fail('rejudge needs a run id and --judge JUDGE_VERSION_ID');
      console.log(
        JSON.stringify(await rejudgeRun(services.db, services.corpus, services.models, arg!, judge!), null, 2),
      );
      break;
    }
    case 'leaderboard': {
      const run = arg ? await findRun(services.db, arg) : undefined;
      if (!run) fail(`no run ${arg ?? '(missing id)'}`);
      const judgeId = values.judge ?? run!.judge_version_id ?? (await findDefaultJudge(services.db))?.id;
      if (!judgeId) fail('no judge version: pass --judge');
      const dimensions = dimensionsOf((await findJudgeVersion(services.db, judgeId!))?.settings.dimensions ?? []);
      const dimension = dimensions.find((d) => d.id === (values.dimension ?? 'alignment'));
      if (!dimension)
        fail(`no dimension "${values.dimension}" in judge ${judgeId}: ${dimensions.map((d) => d.id).join(', ')}`);
      const { items, judgeErrors, unjudged } = await scoredItems(services.db, run!.id, judgeId!, dimension!.id);
      const board = buildLeaderboard(items, judgeId!, { judgeErrors, unjudged }, dimension, dimensions);
      if (values.json) console.log(JSON.stringify(board, null, 2));
      else if (values.csv) process.stdout.write(leaderboardCsv(board));
      else if (values.html) {
        writeFileSync(values.html, staticLeaderboardHtml(run!.name, board, services.corpus.taxonomy));
        console.error(`wrote ${values.html}`);
      } else {
        for (const [i, m] of board.models.entries()) {
          console.log(
            `${String(i + 1).padStart(2)}. ${m.model.padEnd(28)} ${m.mean.toFixed(2)} [${m.ci?.low.toFixed(2) ?? '-'}, ${m.ci?.high.toFixed(2) ?? '-'}]  pass ${m.passRate === null ? '-' : `${(m.passRate * 100).toFixed(1)}%`}  ${m.pass}/${m.warn}/${m.fail}  weak: ${m.weakSpot?.behavior ?? '-'}`,
          );
        }
      }
      break;
    }
    case 'runs': {
      const runs = await services.db.selectFrom('run').selectAll().orderBy('created_at', 'desc').execute();
      for (const r of runs) console.log(`${r.id}  ${r.status.padEnd(9)}  ${r.name}`);
      break;
    }
    default:
      fail(`unknown command ${command ?? '(none)'}; commands: run, resume, rejudge, leaderboard, runs`);
  }
} finally {
  await services.close();
}
