// npm run bench: builds the client, then runs every benchmark in turn (each prints its targets).
import { execFileSync } from 'node:child_process';

const steps: [string, string[]][] = [
  ['build', ['node_modules/vite/bin/vite.js', 'build']],
  ['bundle size', ['--import', 'tsx', 'bench/bundle-size.ts']],
  ['scenario index, API and studio list', ['--import', 'tsx', 'bench/scenario-index.bench.ts']],
  ['dry-run: added time to first token, 50 concurrent runs', ['--import', 'tsx', 'bench/dryrun.bench.ts']],
  ['rating load: 200 raters', ['--import', 'tsx', 'bench/rating-load.bench.ts']],
  ['calibration metrics: 100,000 annotations, 1,000 resamples', ['--import', 'tsx', 'bench/calibration.bench.ts']],
  ['calibration page: 5,000 annotated transcripts in Chromium', ['--import', 'tsx', 'bench/calibration-page.bench.ts']],
  ['benchmark run: 904 scenarios x 4 turns, concurrency 64', ['--import', 'tsx', 'bench/run.bench.ts']],
];
for (const [name, args] of steps) {
  console.log(`\n== ${name}`);
  execFileSync(process.execPath, args, { stdio: name === 'build' ? 'ignore' : 'inherit' });
}
