import { resolve } from 'node:path';

/** Where the data lives: an embedded SQLite file, or a PostgreSQL server. */
export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * Reads `CRUCIBLE_DB`: `postgres://` or `postgresql://` selects PostgreSQL; any other URL scheme
 * (`mysql://`, `http://`, ...) is an error, never a file name (a URL taken as a path would create a
 * SQLite file whose path holds the password); anything else is a SQLite file path (`:memory:` too).
 */
export function parseDatabaseTarget(value: string, cwd = process.cwd()): DatabaseTarget {
  const scheme = URL_SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', url: value };
  if (scheme !== undefined)
    throw new Error(
      `CRUCIBLE_DB: a ${scheme}:// URL is not a database Crucible can use; give postgres://user:password@host:port/database or a SQLite file path`,
    );
  return { kind: 'sqlite', path: value === ':memory:' ? value : resolve(cwd, value) };
}

/** The target named for people: the URL without its password, or the file. */
export function describeDatabaseTarget(target: DatabaseTarget): string {
  if (target.kind === 'sqlite') return target.path;
  const url = new URL(target.url);
  if (url.password) url.password = '***';
  return url.toString();
}
