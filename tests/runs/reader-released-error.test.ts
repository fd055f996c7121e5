import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { budget } from '../support/budget.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// Node makes its web streams' "Reader released" error once per process, at the first release of a
// reader, and formats its stack then; under tsx (source maps on) that parsed the source maps of
// every file on the stack, inside the AI SDK's reading of a run's first model answer (150-250 ms of
// CPU). A run executor makes the error when it is created, from a shallow stack. Each case runs in
// a fresh process (the error is made once per process), counting stack formats after the start.

const dir = mkdtempSync(join(tmpdir(), 'crucible-reader-released-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Stack formats caused by releasing a reader, in a fresh tsx process that first runs `before`. */
async function stackFormatsOnRelease(before: string): Promise<number> {
  const file = join(dir, `case-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(
    file,
    [
      `import { RunExecutor } from ${JSON.stringify(join(PROJECT_ROOT, 'server/runs/run.executor.ts'))};`,
      before,
      'let formats = 0;',
      'const format = Error.prepareStackTrace;',
      'Error.prepareStackTrace = (error, frames) => { formats++; return format ? format(error, frames) : String(error); };',
      'new ReadableStream().getReader().releaseLock();',
      'console.log(JSON.stringify({ formats, executor: typeof RunExecutor }));',
    ].join('\n'),
  );
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], { cwd: PROJECT_ROOT });
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { formats: number }).formats;
}

describe('a run executor', () => {
  it(
    'makes the reader-released error when created, so no model call formats its stack',
    async () => {
      // Without an executor, the first release formats a stack (the cost this avoids).
      expect(await stackFormatsOnRelease('')).toBeGreaterThan(0);
      const created = 'new RunExecutor({} as never, {} as never, {} as never);';
      expect(await stackFormatsOnRelease(created)).toBe(0);
    },
    budget(60_000),
  );
});
