import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/test-server.ts';
import { budget } from '../support/budget.ts';

/** Starts the server as `npm start` does (without the build) on a folder of our own; it should stop at once. */
function start(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-start-'));
  mkdirSync(join(dir, 'scenarios'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const result = spawnSync('npx', ['tsx', 'server/main.ts'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: budget(120_000),
    env: {
      ...process.env,
      CRUCIBLE_PORT: '0',
      CRUCIBLE_DB: join(dir, 'db.sqlite'),
      CRUCIBLE_SCENARIOS: join(dir, 'scenarios'),
      CRUCIBLE_MODELS: join(dir, 'models.yaml'),
      CRUCIBLE_SECRETS: join(dir, 'secrets.env'),
    },
  });
  return { dir, ...result };
}

describe('npm start with a file it cannot start without', () => {
  it('names the broken taxonomy with its line and column, and prints no stack trace', () => {
    const { dir, status, stderr } = start({ 'scenarios/taxonomy.yaml': 'categories: [\n  - id: x\n' });
    expect(status).toBe(1);
    expect(stderr).toContain(`Crucible cannot start: ${join(dir, 'scenarios/taxonomy.yaml')}:2:3: YAML:`);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('names an alias bomb in the models file, and prints no stack trace', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill('*' + String.fromCharCode(96 + i))
          .join(', ')}]`,
      );
    const { dir, status, stderr } = start({ 'models.yaml': bomb.join('\n') + '\n' });
    expect(status).toBe(1);
    expect(stderr).toMatch(new RegExp(`Crucible cannot start: ${join(dir, 'models.yaml')}:\\d+:\\d+`));
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
