import { build } from 'esbuild';
import { resolve } from 'node:path';

// The server as `npm start` runs it: one ES module bundled by esbuild, started with plain node
// (issue 20 point 7: a warm start within 1 s of CPU). Under tsx, transpiling and resolving some
// 900 modules at every start cost about 1.9 s of CPU before the first request; the bundle loads in
// about a quarter of that. tsx stays for development, the tests and the command line.

/** Where the project lives (this file is server/bundle/server-bundle.ts). */
const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/** The folder `npm start` bundles the server into and starts it from. */
export const SERVER_BUNDLE_DIR = resolve(PROJECT_ROOT, 'dist/server');

/**
 * Bundles the server (`main.js`) and its worker threads' entries (`scenario-index.worker.js` for
 * the index worker pool, `calibration.worker.js` for calibration reports, each started from the
 * bundle's folder) into `outdir`. Dependencies are bundled
 * too (loading hundreds of package files is much of what a start costs), except those that cannot
 * be: better-sqlite3 (a native addon) and pg-native (an optional addon pg asks for by name). They
 * are resolved at run time from node_modules above `outdir`, so `outdir` must be inside the project.
 */
export async function bundleServer(outdir: string = SERVER_BUNDLE_DIR): Promise<string[]> {
  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: {
      main: 'server/main.ts',
      'scenario-index.worker': 'server/scenarios/scenario-index.worker.ts',
      'calibration.worker': 'server/calibration/calibration.worker.ts',
    },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'pg-native'],
    // CommonJS packages inside an ES module bundle call require() for Node's built-in modules:
    // give the bundle a real one (esbuild's stand-in throws "Dynamic require is not supported").
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    // Stack traces name the TypeScript sources with `node --enable-source-maps dist/server/main.js`.
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  return Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
}
