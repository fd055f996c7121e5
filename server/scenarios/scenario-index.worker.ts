import { parentPort, workerData } from 'node:worker_threads';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import { readChangedFiles, type ChangedFile } from './scenario-index.read.ts';
import { threadCpuMs } from './thread-cpu.ts';

// An index worker (scenario-index.pool.ts): reads and parses batches of changed scenario files on
// another core while the main thread stats files and writes rows (issue 20 point 7). Each answer
// carries this thread's CPU time so far, so a bench can tell each thread's share.

const { taxonomy } = workerData as { taxonomy: Taxonomy };

parentPort!.on('message', ({ files, withPostings }: { files: ChangedFile[]; withPostings: boolean }) => {
  try {
    const result = readChangedFiles(files, taxonomy, withPostings);
    parentPort!.postMessage({ ok: true, result, cpuMs: threadCpuMs() });
  } catch (e) {
    parentPort!.postMessage({ ok: false, message: (e as Error).message });
  }
});
