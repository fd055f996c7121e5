// Starts Crucible: opens and migrates the database, indexes the scenarios, watches them, serves.
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openServices } from './services.ts';

const config = loadConfig();
const services = await openServices(config);
const models = services.models.list();
console.log(
  models.length === 0
    ? `no models configured (${config.modelsPath} not found): dry-runs can still be played by hand; see README: Models`
    : `models: ${models.map((m) => `${m.id}${m.ready ? '' : ' (not ready: ' + m.problem + ')'}`).join(', ')}`,
);

const server = serve({ fetch: createApp(services).fetch, hostname: config.host, port: config.port }, (info) => {
  console.log(`Crucible is running at http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${info.port}/`);
});

async function shutdown() {
  server.close();
  await services.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
