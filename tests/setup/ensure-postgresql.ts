// The integration suites run on PostgreSQL too, against a throwaway cluster of Debian's server
// binaries. Find them, install Debian's postgresql package when we are root with apt, or stop with
// a message that says how: the PostgreSQL pass is never skipped silently.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findPostgresqlBin } from './postgresql.ts';

if (!findPostgresqlBin()) {
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log("PostgreSQL not found: installing Debian's postgresql package for the PostgreSQL test pass...");
    // The package starts a system cluster of its own; the tests never use it (they initdb their own).
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql', {
      stdio: 'inherit',
    });
  }
  if (!findPostgresqlBin()) {
    console.error(
      'The PostgreSQL test pass needs the PostgreSQL server binaries (initdb, postgres) under /usr/lib/postgresql/<version>/bin. Install them with: sudo apt-get install -y postgresql (or set CRUCIBLE_PG_BIN to the folder holding initdb and postgres).',
    );
    process.exit(1);
  }
}
console.log(`PostgreSQL: ${findPostgresqlBin()}`);
