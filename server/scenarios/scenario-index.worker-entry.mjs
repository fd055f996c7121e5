// The index worker's entry (scenario-index.pool.ts). On Node 20 a worker thread does not get the
// tsx loader the server runs under, even through execArgv: this plain module registers it, then
// loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./scenario-index.worker.ts');
