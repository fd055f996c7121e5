import { parentPort } from 'node:worker_threads';
import { computeCalibration, thresholdSweep } from './calibration-metrics.ts';
import type { CalibrationTask } from './calibration-thread.ts';

// The calibration thread (calibration-thread.ts): computes reports and threshold sweeps, with their
// thousands of bootstrap resamples, off the server's event loop.

parentPort!.on('message', ({ id, task }: { id: number; task: CalibrationTask }) => {
  try {
    const result =
      task.kind === 'report' ? computeCalibration(task.items, task.options) : thresholdSweep(task.items, task.options);
    parentPort!.postMessage({ id, ok: true, result });
  } catch (e) {
    parentPort!.postMessage({ id, ok: false, message: (e as Error).message });
  }
});
