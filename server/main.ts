// Starts Crucible: opens and migrates the database, indexes the scenarios, watches them, serves.
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { ScenarioCorpus } from './scenarios/scenario.corpus.ts';

const config = loadConfig();
const db = openDatabase(config.databasePath);
await migrateToLatest(db);
const corpus = new ScenarioCorpus(db, config.scenariosDir);
const report = await corpus.indexAll();
console.log(`indexed ${report.files} scenario files from ${config.scenariosDir} (${report.indexed} read, ${report.removed} removed) in ${report.ms.toFixed(0)} ms`);
if (config.watchScenarios) corpus.startWatching();

const server = serve({ fetch: createApp({ config, corpus }).fetch, hostname: config.host, port: config.port }, (info) => {
  console.log(`Crucible is running at http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${info.port}/`);
});

async function shutdown() {
  server.close();
  await corpus.close();
  await db.destroy();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
