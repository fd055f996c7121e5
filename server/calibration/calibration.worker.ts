import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { comparePaired, computeCalibration, thresholdSweep } from './calibration-metrics.ts';
import type { CalibrationTask } from './calibration-thread.ts';

// The calibration thread (calibration-thread.ts): computes reports, threshold sweeps and held-out
// comparisons, with their thousands of bootstrap resamples, off the server's event loop.

// Below the server's own threads: a bootstrap is background work, and on a machine with few cores
// the event loop (raters' requests, the page that asked) should get the CPU first. Linux gives each
// thread its own nice value, set through the thread's id; elsewhere the thread keeps the default.
try {
  const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
  setPriority(threadId, 10);
} catch {
  // no /proc (not Linux), or not permitted: the default priority
}

parentPort!.on('message', ({ id, task: text }: { id: number; task: string }) => {
  try {
    const task = JSON.parse(text) as CalibrationTask;
    const result =
      task.kind === 'report'
        ? computeCalibration(task.items, task.options)
        : task.kind === 'sweep'
          ? thresholdSweep(task.items, task.options)
          : comparePaired(task.current, task.candidate, task.options);
    parentPort!.postMessage({ id, ok: true, result });
  } catch (e) {
    parentPort!.postMessage({ id, ok: false, message: (e as Error).message });
  }
});
