import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listScenarioFiles } from '../../server/scenarios/scenario.paths.ts';
import { catastrophicBacktrackingIn } from '../../server/regex/catastrophic-backtracking.ts';
import { runWithinTime, testWithinTime } from '../../server/regex/bounded-match.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { RUN_KEY, threeModelsYaml } from '../runs/run-fixtures.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { describeBackendFree } from '../support/test-database.ts';
import { PROJECT_ROOT, SHIPPED_TAXONOMY, startTestServer, type TestServer } from '../support/test-server.ts';
import { budget } from '../support/budget.ts';

const CATASTROPHIC = '((.|.)*)*z';

/** The fixture scenario with its red flag's pattern replaced (a single-quoted YAML string). */
function withRedFlagPattern(id: string, pattern: string): string {
  const text = validScenarioText(id);
  const flag = 'when_arguments_match: "best in class"';
  expect(text).toContain(flag);
  return text.replace(flag, `when_arguments_match: '${pattern.replace(/'/g, "''")}'`);
}

/** 1-based line and column where the pattern's quoted value starts. */
function placeOfPattern(text: string): { line: number; column: number } {
  const offset = text.indexOf('when_arguments_match: ') + 'when_arguments_match: '.length;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

type Diagnostic = { message: string; line: number; column: number; path: (string | number)[] };

describeBackendFree('catastrophic red-flag patterns', () => {
  it('are recognised: nested quantifiers, overlapping alternatives in a repetition, one iteration matching two', () => {
    for (const pattern of [
      CATASTROPHIC,
      '(a+)+$',
      '(\\w+\\s?)*$',
      '(.|.)*z',
      '^(a|a)*$',
      '(\\w|\\d)+!',
      '(a|b|ab)*c',
    ]) {
      expect(catastrophicBacktrackingIn(pattern), pattern).toMatch(/catastrophic backtracking/);
    }
  });

  it('are refused, not analysed for minutes, when the analysis itself would blow up', () => {
    const nested = `${'(?:'.repeat(300)}a${')*'.repeat(300)}`;
    expect(catastrophicBacktrackingIn(nested)).toMatch(/too complex to check/);
    expect(catastrophicBacktrackingIn('x'.repeat(2001))).toMatch(/at most 2000 are accepted/);
  });

  it('leave every pattern of the shipped corpus alone (lookarounds included)', () => {
    const patterns = listScenarioFiles(join(PROJECT_ROOT, 'scenarios')).flatMap((f) =>
      [...readFileSync(f.absPath, 'utf8').matchAll(/when_arguments_match: (.+)$/gm)].map((m) => m[1]!),
    );
    expect(patterns.length).toBeGreaterThan(50);
    expect(patterns.some((p) => p.includes('(?='))).toBe(true);
    for (const quoted of patterns) {
      const pattern = quoted.startsWith("'") ? quoted.slice(1, -1).replace(/''/g, "'") : JSON.parse(quoted);
      expect(catastrophicBacktrackingIn(pattern), pattern).toBeNull();
    }
  });
});

describe('a catastrophic red-flag pattern sent to the API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const send = (path: string, body: unknown) =>
    server.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('is a located error in check, create and dry-run, and nothing is written or run', async () => {
    const id = 'sycophancy-redos';
    const text = withRedFlagPattern(id, CATASTROPHIC);
    const expected = {
      path: ['judge', 'red_flags', 0, 'when_arguments_match'],
      ...placeOfPattern(text),
      message: expect.stringMatching(/^judge\.red_flags\[0\]\.when_arguments_match: catastrophic backtracking/),
    };

    const checked = (await (await send('/api/scenarios/check', { content: text, id })).json()) as {
      diagnostics: Diagnostic[];
    };
    expect(checked.diagnostics).toEqual([expect.objectContaining(expected)]);

    const created = await send('/api/scenarios', { content: text });
    expect(created.status).toBe(422);
    expect(((await created.json()) as { error: { issues: Diagnostic[] } }).error.issues).toEqual([
      expect.objectContaining(expected),
    ]);
    expect((await server.fetch(`/api/scenarios/${id}`)).status).toBe(404);

    const dryRun = await send('/api/dryruns', { content: text, model: 'human' });
    expect(dryRun.status).toBe(422);
    expect(((await dryRun.json()) as { error: { issues: Diagnostic[] } }).error.issues[0]).toMatchObject({
      line: expected.line,
      column: expected.column,
    });
  });

  it('an ordinary pattern with lookarounds still saves', async () => {
    const text = withRedFlagPattern('sycophancy-lookaround', '(?=.*slide)(?=.*best in class)');
    expect((await send('/api/scenarios', { content: text })).status).toBe(201);
  });
});

describeBackendFree('matching at run time', () => {
  it('a catastrophic pattern against a hostile input completes (abandoned at the time limit)', () => {
    expect(testWithinTime(CATASTROPHIC, 'i', 'x'.repeat(64), 50)).toBe('timeout');
    // At the default limit: a match descheduled past it runs again (next test), so load does not turn these into timeouts.
    expect(testWithinTime('best in class', 'i', '{"text":"Best In Class"}')).toBe(true);
    expect(testWithinTime('(?<!not )best', 'i', '{"text":"not best"}')).toBe(false);
  });

  // The limit is wall time, which a descheduled or garbage-collecting process can pass inside a
  // match of microseconds; taken as the pattern's fault, a red flag's hit would be dropped. A task
  // that waits past the limit without computing (Atomics.wait: no CPU, as when descheduled) runs
  // again and answers; one that computes is stopped (after at most three measured attempts more:
  // on a loaded machine a computing task can also get under half its limit of CPU).
  it('a match starved past its limit runs again and answers; one that computes is stopped', () => {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    let calls = 0;
    const starved = runWithinTime(() => {
      calls++;
      if (calls === 1) Atomics.wait(cell, 0, 0, 500);
      return 'answer';
    }, 50);
    expect(starved).toEqual({ done: true, value: 'answer' });
    expect(calls).toBe(2);

    let spins = 0;
    const computing = runWithinTime(() => {
      spins++;
      for (;;);
    }, 50);
    expect(computing).toEqual({ done: false });
    expect(spins).toBeGreaterThanOrEqual(2);
    expect(spins).toBeLessThanOrEqual(4);
  });

  // A scenario stored before patterns were checked (an interrupted run resumes it at start) reaches
  // redFlagsHit without validation. Run in a child process: unbounded, this match never returns, and
  // the child (node itself, no npx in between) is killed rather than the test runner hanging.
  it('red flags of an unvalidated stored scenario complete, and keep their meaning', () => {
    const script = `
      import { redFlagsHit } from './server/dryrun/red-flags.ts';
      const judge = (pattern) => ({ judge: { red_flags: [{ tool: 'update_slide', when_arguments_match: pattern, reason: 'hit' }] } });
      const args = { slide: 4, text: 'x'.repeat(64) };
      console.log(JSON.stringify([
        redFlagsHit(judge(${JSON.stringify(CATASTROPHIC)}), 'update_slide', args),
        redFlagsHit(judge('"slide"\\\\s*:\\\\s*4'), 'update_slide', args),
        redFlagsHit(judge('best in class'), 'update_slide', args),
      ]));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: budget(60_000),
      killSignal: 'SIGKILL',
    });
    expect(child.signal, 'the match did not complete').toBeNull();
    expect(child.stderr).toMatch(/ran past its time limit and was treated as no match/);
    expect(JSON.parse(child.stdout.trim().split('\n').at(-1)!)).toEqual([[], ['hit'], []]);
  });
});

// A pattern the static check does not see (no two alternatives overlap and no single iteration
// matches what two do, but `a`+`bc` and `ab`+`c` both spell `abc`), so it saves, and backtracks
// exponentially on "abcabc...". A benchmark run, the path
// an interrupted run resumes on at start, must still finish: in its own process, killed if it hangs.
describeBackendFree('a benchmark run whose red flag backtracks exponentially', () => {
  const PATTERN = '(a|bc|ab|c)*z';
  let dir: string;
  let fake: FakeServer;
  beforeAll(async () => {
    expect(catastrophicBacktrackingIn(PATTERN)).toBeNull();
    dir = mkdtempSync(join(tmpdir(), 'crucible-regex-run-'));
    mkdirSync(join(dir, 'scenarios', 'honesty'), { recursive: true });
    copyFileSync(SHIPPED_TAXONOMY, join(dir, 'scenarios', 'taxonomy.yaml'));
    const id = 'sycophancy-pitch-deck-unit-economics';
    writeFileSync(join(dir, 'scenarios', 'honesty', `${id}.yaml`), withRedFlagPattern(id, PATTERN));
    fake = await startFakeOpenAI({
      apiKey: RUN_KEY,
      script: (req) => {
        if (req.body?.model === 'judge') {
          return { text: JSON.stringify({ score: 4, pass_criteria_met: [], fail_criteria_met: [], rationale: 'ok' }) };
        }
        const last = req.body?.messages?.at(-1);
        if (last?.role === 'tool') return { text: 'Updated the slide.' };
        return {
          toolCalls: [{ name: 'update_slide', arguments: JSON.stringify({ slide: 4, text: 'abc'.repeat(40) }) }],
        };
      },
    });
    writeFileSync(join(dir, 'models.yaml'), threeModelsYaml(fake.url));
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'finishes, the match abandoned at its time limit and not counted as a hit',
    async () => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'server/cli/crucible.ts',
          'run',
          '--name',
          'hostile',
          '--models',
          'complier',
          '--scope',
          'all',
        ],
        {
          cwd: PROJECT_ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            ...process.env,
            RUN_KEY,
            CRUCIBLE_DB: join(dir, 'db.sqlite'),
            CRUCIBLE_SCENARIOS: join(dir, 'scenarios'),
            CRUCIBLE_MODELS: join(dir, 'models.yaml'),
            CRUCIBLE_SECRETS: join(dir, 'none.env'),
          },
        },
      );
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
      clearTimeout(killer);
      expect(signal, 'the run did not finish').toBeNull();
      expect(code, stderr).toBe(0);
      expect(stderr).toMatch(/ran past its time limit and was treated as no match/);
      expect(fake.requests.some((r) => r.body?.messages?.at(-1)?.role === 'tool')).toBe(true);
      const db = new Database(join(dir, 'db.sqlite'), { readonly: true });
      try {
        const items = db.prepare('select status, error from run_item').all() as { status: string }[];
        expect(items).toHaveLength(1);
        expect(items[0], JSON.stringify(items[0])).toMatchObject({ status: 'done' });
        expect(db.prepare('select red_flags from dry_run').all()).toEqual([{ red_flags: 0 }]);
      } finally {
        db.close();
      }
    },
    budget(120_000),
  );
});
