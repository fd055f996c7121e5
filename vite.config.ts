import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

// The integration suites that run on PostgreSQL too (browser tests and pure unit tests stay on SQLite).
const POSTGRES_ONLY = [
  'tests/studies/two-servers-crash.test.ts',
  'tests/server/notifications.test.ts',
  'tests/server/two-servers-*.test.ts',
];

// Files in those suites that never reach the database backend: pure functions, and commands run on
// their own SQLite file (the CLI's kill-and-resume run). The PostgreSQL pass would only repeat them.
// (Such tests inside a file that also uses the backend: describeBackendFree, tests/support/test-database.ts.)
const BACKEND_FREE = [
  'tests/runs/run-resume.test.ts',
  'tests/runs/leaderboard-intervals.test.ts',
  'tests/server/database-target.test.ts',
  'tests/server/search-match.test.ts',
  'tests/server/template-placeholders.test.ts',
  'tests/dryrun/word-diff.test.ts',
  'tests/dryrun/answer-events.test.ts',
  'tests/judge/line-diff.test.ts',
  'tests/security/client-address.test.ts',
  'tests/security/login-throttle.test.ts',
  'tests/security/safe-redirect.test.ts',
];

const POSTGRES_SUITES = [
  'tests/server/**/*.test.ts',
  'tests/studies/**/*.test.ts',
  'tests/judge/**/*.test.ts',
  'tests/runs/**/*.test.ts',
  'tests/security/**/*.test.ts',
  'tests/dryrun/**/*.test.ts',
  'tests/jobs/**/*.test.ts',
];

// One config for the client build (vite) and the tests (vitest).
export default defineConfig({
  root: 'client',
  plugins: [react()],
  // Feature stylesheets are CSS modules (*.module.css): a class is local to the components that import it, so two
  // features' lazily loaded sheets can never restyle each other (issue 10). Components write styles.scoreChip for
  // .score-chip; the built name keeps the file and class for reading the DOM. Shared primitives stay global (base.css).
  css: {
    modules: { localsConvention: 'camelCaseOnly', generateScopedName: '[name]_[local]_[hash:base64:5]' },
  },
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    manifest: true,
    // Two apps: the studio (index.html) and the small rater app (rate.html, also sign-in and invites).
    rollupOptions: {
      input: {
        studio: resolve(import.meta.dirname, 'client/index.html'),
        rate: resolve(import.meta.dirname, 'client/rate.html'),
      },
    },
    chunkSizeWarningLimit: 4000,
  },
  server: {
    port: 5173,
    proxy: { '/api': `http://127.0.0.1:${process.env.CRUCIBLE_PORT ?? 8787}` },
  },
  test: {
    root: '.',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file rescales these (and expect.poll's budget) by the machine's load when it starts.
    setupFiles: ['tests/setup/scaled-budgets.ts'],
    // Browser tests and servers share two cores: run files one or two at a time.
    maxWorkers: 2,
    // No retry, in CI or not: a test that passes only on a second try is a bug (retries once hid a
    // real race in batch judging, a lost keystroke in the transcript search and red-flag hits
    // dropped under load). Tests wait on conditions with budgets that scale with the load
    // (tests/support/budget.ts); fresh-clone runs of the whole suite with no retry passed at load 4-5.
    retry: 0,
    fileParallelism: true,
    // The integration suites run twice: on SQLite (with every other test) and on a real PostgreSQL
    // cluster that the postgres project's global setup starts and stops (tests/setup/postgresql*.ts).
    projects: [
      // (Each project names its own files: an include set at the root would be added to both.)
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['tests/**/*.test.ts'],
          // Two processes on one database, and LISTEN/NOTIFY: PostgreSQL only (SQLite is one process).
          exclude: [...configDefaults.exclude, ...POSTGRES_ONLY],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: POSTGRES_SUITES,
          // 36,000 run items: the run engine's PostgreSQL path is covered by the other run suites.
          // The event-append test measures SQLite's write-ahead log.
          exclude: [
            ...configDefaults.exclude,
            'tests/analysis/parameter-recovery.test.ts',
            'tests/dryrun/dryrun-event-append.test.ts',
            ...BACKEND_FREE,
          ],
          env: { CRUCIBLE_TEST_DB: 'postgres' },
          globalSetup: ['tests/setup/postgresql-global.ts'],
        },
      },
    ],
  },
});
