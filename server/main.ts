// Starts Crucible: opens and migrates the database, indexes the scenarios, watches them, serves.
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { firstAdminInvite } from './people/first-admin.ts';
import { openServices } from './services.ts';
import { collectStartUpGarbage } from './start-up-garbage.ts';

// A bad setting (CRUCIBLE_DB=mysql://..., say) names its variable: print that, not a stack trace.
const config = (() => {
  try {
    return loadConfig();
  } catch (e) {
    console.error(`Crucible cannot start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
})();
// A file Crucible cannot start without (the taxonomy, the models file) names itself, its line and
// column in the error's message: print that, not a stack trace that names no file.
// A warm start serves at once and compares the scenario files with the index while serving (issue
// 20 point 7; reconcileWhileServing in services.ts says what waits for that).
const services = await openServices(config, process.env, console.log, { reconcileWhileServing: true }).catch(
  (e: unknown) => {
    console.error(`Crucible cannot start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
const models = services.models.list();
console.log(
  models.length === 0
    ? `no models configured (${config.modelsPath} not found): dry-runs can still be played by hand; see README: Models`
    : `models: ${models.map((m) => `${m.id}${m.ready ? '' : ' (not ready: ' + m.problem + ')'}`).join(', ')}`,
);

const adminToken = await firstAdminInvite(services.db);
let stopping = false;

/**
 * Once the index is in line with the files: the run engine builds what a first run would (after the
 * comparison, so a warm start's first pages never wait for it), and the runs a crash or a kill left
 * running go on (they read the index).
 */
async function afterListening() {
  await services.reconcileScenarios();
  await services.runs.warmUp();
  const resumed = await services.resumeInterruptedRuns();
  if (resumed > 0) console.log(`resumed ${resumed} benchmark run(s) that the last stop interrupted`);
}

// Before serving, not once idle after: a full collection stops the thread for a time that grows
// with the heap (a server holding a large corpus would pause its first requests).
collectStartUpGarbage();
const server = serve({ fetch: createApp(services).fetch, hostname: config.host, port: config.port }, (info) => {
  const base =
    config.publicUrl?.replace(/\/$/, '') ??
    `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${info.port}`;
  if (adminToken)
    console.log(
      `No admin yet. Open this one-time link to create the admin account (valid 24 h):\n  ${base}/join/${adminToken}`,
    );
  console.log(`Crucible is running at ${base}/`);
  afterListening().catch((e: unknown) => {
    if (stopping) return; // the database closed under it
    console.error(`Crucible cannot start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
});

async function shutdown() {
  stopping = true;
  server.close();
  await services.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
