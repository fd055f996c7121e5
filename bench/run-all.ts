// npm run bench: builds the client, then runs every benchmark in turn, each in its own process.
// A bench that misses a target (or crashes) does not stop the others; the summary table at the end
// lists every gated figure, and the exit code is non-zero if any figure missed or any bench crashed.
// `npm run bench -- calibration bundle` runs only the benches whose file name contains a given word.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIGURES_FILE_ENV, MISSED_TARGET_EXIT, type FigureRecord } from './support.ts';

const steps: [string, string][] = [
  ['bundle size', 'bench/bundle-size.ts'],
  ['scenario index (cold, 100,000 files), API and studio list', 'bench/scenario-index.bench.ts'],
  ['scenario warm start: server start to first list page at 100,000 scenarios', 'bench/scenario-warm-start.bench.ts'],
  ['scenario list: filtered and first page at 100,000 scenarios, paged in SQL', 'bench/scenario-list.bench.ts'],
  ['dry-run: added time to first token, 50 concurrent runs', 'bench/dryrun.bench.ts'],
  ['rating load: 200 raters', 'bench/rating-load.bench.ts'],
  ['annotation load: 200 annotators on 3,000 transcripts', 'bench/annotation-load.bench.ts'],
  ['rating scale-out: SQLite beside PostgreSQL with 1, 2 and 4 server processes', 'bench/rating-scale-out.bench.ts'],
  ['calibration metrics: 100,000 annotations, 1,000 resamples', 'bench/calibration.bench.ts'],
  ['calibration page: 5,000 annotated transcripts in Chromium', 'bench/calibration-page.bench.ts'],
  ['item analysis: 100 models x 1,000 scenarios x 3 repeats', 'bench/item-analysis.bench.ts'],
  ['benchmark run: 904 scenarios x 4 turns, concurrency 64', 'bench/run.bench.ts'],
  ['benchmark run: flat cost per model call, 904 and 3,616 items side by side', 'bench/run-flat-cost.bench.ts'],
  ['run workers: 904 scenarios x 4 turns over 3 worker processes, 64 at once', 'bench/run-workers.bench.ts'],
  ['run start-up: a 64-item run in a fresh server process, CPU per model call', 'bench/run-startup.bench.ts'],
  ['generation: dedup of 5,000 candidates against 10,000 scenarios', 'bench/generation-dedup.bench.ts'],
  [
    'generation: screening 1,000 candidates against 10,000 scenarios, concurrency 32',
    'bench/generation-screening.bench.ts',
  ],
];

const only = process.argv.slice(2);
const chosen = steps.filter(([, file]) => only.length === 0 || only.some((word) => file.includes(word)));
const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-figures-'));
const figuresFile = join(dir, 'figures.jsonl');
const rows: FigureRecord[] = [];
const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { stdio: 'ignore' });
if (build.status !== 0) rows.push(problem('vite build', `build failed (exit ${build.status})`));
for (const [name, file] of chosen) {
  console.log(`\n== ${name}`);
  rmSync(figuresFile, { force: true });
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], {
    stdio: 'inherit',
    env: { ...process.env, [FIGURES_FILE_ENV]: figuresFile },
  });
  const figures = existsSync(figuresFile)
    ? readFileSync(figuresFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as FigureRecord)
    : [];
  rows.push(...figures);
  const bench = file.replace('bench/', '');
  // A bench that crashed (whatever it recorded before), or exited non-zero with no missed figure,
  // or gated nothing, fails too.
  const missedOnly = result.status === MISSED_TARGET_EXIT && figures.some((f) => !f.pass);
  if (result.status !== 0 && !missedOnly)
    rows.push(problem(bench, `crashed (${result.signal ?? `exit ${result.status}`})`));
  else if (result.status === 0 && figures.length === 0) rows.push(problem(bench, 'no figure was gated'));
}
rmSync(dir, { recursive: true, force: true });

const headers = ['bench', 'figure', 'value', 'target', 'result'];
const table = rows.map((r) => [r.bench, r.figure, r.value, r.target, r.pass ? 'PASS' : 'FAIL']);
const widths = headers.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`\n== summary\n${line(headers)}\n${line(widths.map((w) => '-'.repeat(w)))}`);
for (const r of table) console.log(line(r));
const missed = rows.filter((r) => !r.pass).length;
console.log(
  missed
    ? `\n${missed} of ${rows.length} figure(s) missed their target.`
    : `\nAll ${rows.length} figures met their targets.`,
);
process.exitCode = missed ? 1 : 0;

function problem(bench: string, what: string): FigureRecord {
  return { bench, figure: what, value: '-', target: '-', pass: false };
}
