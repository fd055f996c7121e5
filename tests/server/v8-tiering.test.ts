import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { budget } from '../support/budget.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// Issue 20 point 2: a server runs with four times V8's default interrupt budget (v8-tiering.ts),
// except while a bulk index parses on its workers, which runs with V8's default; a budget given on
// node's command line is never changed. Each case runs in a fresh process (the flag is the
// process's), which prints the budget the module has set at each step.

const SCRIPT = [
  `import { useServerTiering, withDefaultTiering, tieringBudgetSet, SERVER_INTERRUPT_BUDGET } from ${JSON.stringify(join(PROJECT_ROOT, 'server/v8-tiering.ts'))};`,
  'const seen = [tieringBudgetSet()];',
  'useServerTiering();',
  'seen.push(tieringBudgetSet());',
  // Two bulk jobs at once: the default holds until the second ends.
  'let release; const held = new Promise((r) => (release = r));',
  'const first = withDefaultTiering(async () => { seen.push(tieringBudgetSet()); await held; });',
  'await withDefaultTiering(async () => { seen.push(tieringBudgetSet()); });',
  'seen.push(tieringBudgetSet());',
  'release(); await first;',
  'seen.push(tieringBudgetSet());',
  'await withDefaultTiering(async () => { throw new Error("failed"); }).catch(() => undefined);',
  'seen.push(tieringBudgetSet());',
  'console.log(JSON.stringify({ seen, server: SERVER_INTERRUPT_BUDGET }));',
].join('\n');

async function stepsWith(nodeArgs: string[]): Promise<{ seen: (number | null)[]; server: number }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', '--input-type=module', '-e', SCRIPT],
    { cwd: PROJECT_ROOT },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe("the server's V8 tiering", () => {
  it(
    'is four times the default, back to the default while bulk work runs, and the server budget again once the last ends',
    async () => {
      const { seen, server } = await stepsWith([]);
      expect(server).toBe(4 * 67_584);
      expect(seen).toEqual([null, server, 67_584, 67_584, 67_584, server, server]);
    },
    budget(60_000),
  );

  it(
    "leaves a budget given on node's command line as it is",
    async () => {
      const { seen } = await stepsWith(['--interrupt-budget=100000']);
      expect(seen).toEqual([null, null, null, null, null, null, null]);
    },
    budget(60_000),
  );
});
