// npm run build:server [-- <outdir>]: bundles the server into dist/server (server/bundle/server-bundle.ts);
// `npm start` runs it before starting dist/server/main.js with node.
import { bundleServer, SERVER_BUNDLE_DIR } from '../bundle/server-bundle.ts';

const outdir = process.argv[2] ?? SERVER_BUNDLE_DIR;
try {
  const files = await bundleServer(outdir);
  console.log(`bundled the server: ${files.join(', ')}`);
} catch (e) {
  // esbuild has printed each error with its file, line and column already.
  console.error(`the server bundle was not built: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  process.exit(1);
}
