// Browser tests need Debian's Chromium. Find it, install it when we are root on Debian, or stop
// with a message that says how: browser tests are never skipped silently.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './chromium.ts';

if (!existsSync(chromiumPath)) {
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log("Chromium not found: installing Debian's chromium package for the browser tests...");
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
      stdio: 'inherit',
    });
  }
  if (!existsSync(chromiumPath)) {
    console.error(
      `Browser tests need Chromium at ${chromiumPath}. Install it with: sudo apt-get install -y chromium (or set CRUCIBLE_CHROMIUM to its path).`,
    );
    process.exit(1);
  }
}
console.log(`Chromium: ${chromiumPath}`);
