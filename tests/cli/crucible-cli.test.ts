import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../server/cli/crucible-commands.ts';
import { parseCommandLine } from '../../server/cli/command-line.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';
import { budget } from '../support/budget.ts';

// `npm run crucible`: usage on --help and help, --help on every command, and mistakes answered in
// one line with exit code 2 (no stack trace), before the database is opened. The parser is tested
// in-process for every case; a few real processes show the program's output and exit codes.

const dir = mkdtempSync(join(tmpdir(), 'crucible-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function spawnCli(
  args: string[],
  via: 'node' | 'npm' = 'node',
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [cmd, pre] =
    via === 'npm'
      ? ['npm', ['run', '--silent', 'crucible', '--']]
      : [process.execPath, ['--import', 'tsx', 'server/cli/crucible.ts']];
  return new Promise((resolve) => {
    execFile(
      cmd,
      [...pre, ...args],
      {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        env: { ...process.env, CRUCIBLE_DB: join(dir, 'crucible.sqlite'), CRUCIBLE_MODELS: join(dir, 'none.yaml') },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const NAMES = [
  'run',
  'resume',
  'retry-failed',
  'rejudge',
  'leaderboard',
  'runs',
  'worker',
  'generate',
  'import',
  'release',
];
const parse = (...argv: string[]) => parseCommandLine(argv, COMMANDS);

describe('the crucible command line', () => {
  it('prints the usage with every command on --help, -h, help and no arguments', () => {
    for (const argv of [['--help'], ['-h'], ['help'], []]) {
      const line = parse(...argv);
      expect(line.kind, argv.join(' ')).toBe('help');
      const text = (line as { text: string }).text;
      expect(text).toMatch(/^Usage: npm run crucible -- <command> \[options\]/);
      for (const c of NAMES) expect(text).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    }
    expect(COMMANDS.map((c) => c.name)).toEqual(NAMES);
  });

  it('gives every command its own --help (and help <command>), naming its options', () => {
    for (const c of NAMES) {
      for (const argv of [
        [c, '--help'],
        [c, '-h'],
        ['help', c],
        [c, 'x', '--help'],
      ]) {
        const line = parse(...argv);
        expect(line.kind, argv.join(' ')).toBe('help');
        expect((line as { text: string }).text).toMatch(new RegExp(`^Usage: npm run crucible -- ${c}\\b`));
      }
    }
    expect((parse('run', '--help') as { text: string }).text).toMatch(/--models a,b +model ids/);
    expect((parse('help', 'leaderboard') as { text: string }).text).toMatch(
      /--html FILE +write the static leaderboard/,
    );
  });

  const mistakes: [string[], string][] = [
    [
      ['--verbose'],
      'unknown option --verbose; give a command first (run, resume, retry-failed, rejudge, leaderboard, runs, worker, generate, import, release)',
    ],
    [
      ['frobnicate'],
      'unknown command "frobnicate"; commands: run, resume, retry-failed, rejudge, leaderboard, runs, worker, generate, import, release',
    ],
    [
      ['help', 'frobnicate'],
      'unknown command "frobnicate"; commands: run, resume, retry-failed, rejudge, leaderboard, runs, worker, generate, import, release',
    ],
    [['run', '--name', 'x', '--model', 'a'], 'run: unknown option --model (see npm run crucible -- run --help)'],
    [['run', '-x'], 'run: unknown option -x (see npm run crucible -- run --help)'],
    [['run', '--name'], 'run: option --name needs a value (see npm run crucible -- run --help)'],
    [['run', '--no-cache=yes'], 'run: option --no-cache takes no value (see npm run crucible -- run --help)'],
    [
      ['leaderboard', 'r1', '--no-cache'],
      'leaderboard: unknown option --no-cache (see npm run crucible -- leaderboard --help)',
    ],
    [['runs', 'extra'], 'runs takes no arguments, not "extra" (see npm run crucible -- runs --help)'],
    [['resume', 'a', 'b'], 'resume takes RUN_ID, not "b" (see npm run crucible -- resume --help)'],
  ];
  it.each(mistakes)('answers %j in one line: %s', (argv, message) => {
    expect(parse(...argv)).toEqual({ kind: 'error', message });
  });

  it('reads a command given rightly', () => {
    expect(parse('run', '--name', 'pilot', '--models', 'a,b', '--no-cache')).toEqual({
      kind: 'command',
      command: 'run',
      args: [],
      values: { name: 'pilot', models: 'a,b', 'no-cache': true },
    });
    expect(parse('leaderboard', 'r1', '--html', 'out.html')).toMatchObject({ command: 'leaderboard', args: ['r1'] });
  });
});

describe('npm run crucible (processes)', () => {
  it('prints the usage through npm, and exits 0', { timeout: budget(120_000) }, async () => {
    const { code, stdout, stderr } = await spawnCli(['--help'], 'npm');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: npm run crucible -- <command> [options]');
    expect(stderr).not.toContain('ERR_PARSE_ARGS');
  });

  it('answers an unknown option in one line on stderr with exit code 2', { timeout: budget(120_000) }, async () => {
    const { code, stdout, stderr } = await spawnCli(['run', '--nmae', 'x']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('crucible: run: unknown option --nmae (see npm run crucible -- run --help)\n');
  });

  it('still runs a command, and says when a run does not exist', { timeout: budget(120_000) }, async () => {
    expect((await spawnCli(['runs'])).code).toBe(0);
    const missing = await spawnCli(['retry-failed', '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n').at(-1)).toBe('crucible: no run 00000000-0000-4000-8000-000000000000');
  });
});
