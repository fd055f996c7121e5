import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { describeDatabaseTarget, parseDatabaseTarget } from '../../server/db/database-target.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';
import { budget } from '../support/budget.ts';

describe('CRUCIBLE_DB', () => {
  it('selects PostgreSQL for postgres:// and postgresql:// URLs, kept as given', () => {
    expect(parseDatabaseTarget('postgres://u:p@db.example:5432/crucible')).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db.example:5432/crucible',
    });
    expect(parseDatabaseTarget('POSTGRESQL://u@h/d').kind).toBe('postgres');
  });

  it('keeps a plain path a SQLite file, resolved against the working folder', () => {
    expect(parseDatabaseTarget('data/x.sqlite', '/srv/crucible')).toEqual({
      kind: 'sqlite',
      path: '/srv/crucible/data/x.sqlite',
    });
    expect(parseDatabaseTarget(':memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
  });

  it.each(['mysql://root:pw@localhost/crucible', 'http://example.com/db', 'sqlite://data/x.sqlite'])(
    'rejects %s naming the variable, instead of taking it for a file name',
    (value) => {
      expect(() => loadConfig({ CRUCIBLE_DB: value }, '/tmp')).toThrow(
        /^CRUCIBLE_DB: a \w+:\/\/ URL is not a database/,
      );
    },
  );

  it('hides the password when it names a PostgreSQL target', () => {
    expect(describeDatabaseTarget(parseDatabaseTarget('postgres://me:secret@h:5/d'))).toBe('postgres://me:***@h:5/d');
  });

  it('stops npm start with the message and creates no file for a mysql:// URL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crucible-db-url-'));
    const result = spawnSync(join(PROJECT_ROOT, 'node_modules/.bin/tsx'), [join(PROJECT_ROOT, 'server/main.ts')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: budget(120_000),
      env: { ...process.env, CRUCIBLE_PORT: '0', CRUCIBLE_DB: 'mysql://root:hunter22@localhost/crucible' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Crucible cannot start: CRUCIBLE_DB: a mysql:// URL is not a database');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'mysql:'))).toBe(false);
  });
});
