// The calibration worker's entry (calibration-thread.ts). On Node 20 a worker thread does not get
// the tsx loader the server runs under, even through execArgv: this plain module registers it, then
// loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./calibration.worker.ts');
