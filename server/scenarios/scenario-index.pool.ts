import { Worker } from 'node:worker_threads';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import type { ChangedFile, ReadResult } from './scenario-index.read.ts';

/**
 * The worker's entry: under tsx, a plain module that registers tsx for the thread; in the server
 * bundle (server/bundle/server-bundle.ts), where this code runs from dist/server/main.js, the
 * worker's own bundle beside it.
 */
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./scenario-index.worker-entry.mjs', import.meta.url)
  : new URL('./scenario-index.worker.js', import.meta.url);

type Answer = { ok: true; result: ReadResult; cpuMs: number } | { ok: false; message: string };

/**
 * Index workers: threads that read and parse changed scenario files, so a cold index of a large
 * corpus uses every core (issue 20 point 7). Batches go to the least busy worker; answers come back
 * in the order each worker received its batches.
 */
export class IndexWorkerPool {
  private workers: { worker: Worker; waiting: ((a: Answer) => void)[]; cpuMs: number }[];

  constructor(size: number, taxonomy: Taxonomy) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(WORKER_ENTRY, {
        workerData: { taxonomy },
        // A larger young generation: parsing makes many short-lived objects, and fewer scavenges cost less.
        resourceLimits: { maxYoungGenerationSizeMb: 64 },
      });
      const entry = { worker, waiting: [] as ((a: Answer) => void)[], cpuMs: 0 };
      worker.on('message', (answer: Answer) => {
        if (answer.ok) entry.cpuMs = answer.cpuMs;
        entry.waiting.shift()?.(answer);
      });
      worker.on('error', (e) => {
        for (const resolve of entry.waiting.splice(0)) resolve({ ok: false, message: e.message });
      });
      return entry;
    });
  }

  /** Reads and parses a batch on a worker (readChangedFiles). */
  read(files: ChangedFile[], withPostings: boolean): Promise<ReadResult> {
    const entry = this.workers.reduce((a, b) => (b.waiting.length < a.waiting.length ? b : a));
    return new Promise<Answer>((resolve) => {
      entry.waiting.push(resolve);
      entry.worker.postMessage({ files, withPostings });
    }).then((answer) => {
      if (!answer.ok) throw new Error(`an index worker failed: ${answer.message}`);
      return answer.result;
    });
  }

  /** CPU time each worker thread has used (as of its last answer), in ms. */
  workerCpuMs(): number[] {
    return this.workers.map((w) => w.cpuMs);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
