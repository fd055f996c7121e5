import { Worker } from 'node:worker_threads';
import {
  comparePaired,
  thresholdSweep,
  type CalibrationItem,
  type CalibrationOptions,
  type CalibrationReport,
  type PairedComparison,
  type SweepRow,
} from './calibration-metrics.ts';

// A calibration report with 1,000 bootstrap resamples of every metric, overall and for each
// category and behaviour, takes a second or more of CPU on a study of a few thousand transcripts.
// On the server's own thread that second holds every other request: raters' next tasks and
// submissions wait behind an admin opening the calibration page. So reports, sweeps and held-out
// comparisons of two versions are computed on one worker thread, shared by the process (the work
// is pure: items in, numbers out), started at the first report and unreferenced so it never keeps
// the process alive.

/** The worker's entry: under tsx, a module that registers tsx for the thread; in the server bundle, its own bundle. */
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./calibration.worker-entry.mjs', import.meta.url)
  : new URL('./calibration.worker.js', import.meta.url);

export type CalibrationTask =
  | { kind: 'report'; items: readonly CalibrationItem[]; options: CalibrationOptions }
  | { kind: 'sweep'; items: readonly CalibrationItem[]; options: Parameters<typeof thresholdSweep>[1] }
  | {
      kind: 'compare';
      current: readonly CalibrationItem[];
      candidate: readonly CalibrationItem[];
      options: Parameters<typeof comparePaired>[2];
    };

type Answer = { id: number; ok: true; result: unknown } | { id: number; ok: false; message: string };

let thread: { worker: Worker; waiting: Map<number, (a: Answer) => void> } | null = null;
let nextId = 0;

function calibrationThread() {
  if (thread) return thread;
  const worker = new Worker(WORKER_ENTRY);
  worker.unref();
  const current = { worker, waiting: new Map<number, (a: Answer) => void>() };
  worker.on('message', (answer: Answer) => {
    current.waiting.get(answer.id)?.(answer);
    current.waiting.delete(answer.id);
  });
  // A thread that dies fails what it was computing; the next task starts a new one.
  const fail = (message: string) => {
    if (thread === current) thread = null;
    for (const [id, resolve] of current.waiting) resolve({ id, ok: false, message });
    current.waiting.clear();
  };
  worker.on('error', (e) => fail(e.message));
  worker.on('exit', (code) => fail(`the calibration thread exited (code ${code})`));
  thread = current;
  return current;
}

function onThread<T>(task: CalibrationTask): Promise<T> {
  const { worker, waiting } = calibrationThread();
  const id = nextId++;
  return new Promise<Answer>((resolve) => {
    waiting.set(id, resolve);
    // Referenced while it computes: an answer someone waits for keeps the process up.
    if (waiting.size === 1) worker.ref();
    // As one JSON string: copying a string is much cheaper for the event loop than the structured
    // clone of thousands of small objects (~60 ms at 5,000 transcripts).
    worker.postMessage({ id, task: JSON.stringify(task) });
  }).then((answer) => {
    if (waiting.size === 0) worker.unref();
    if (!answer.ok) throw new Error(`computing calibration failed: ${answer.message}`);
    return answer.result as T;
  });
}

/** Only what the metrics read crosses to the thread (rows also carry rationales and reasons). */
const metricFields = (i: CalibrationItem): CalibrationItem => ({
  id: i.id,
  category: i.category,
  behavior: i.behavior,
  judge: i.judge,
  humans: i.humans.map((h) => ({ score: h.score, passMet: h.passMet, failMet: h.failMet })),
  passCriteria: i.passCriteria,
  failCriteria: i.failCriteria,
});

/** computeCalibration on the calibration thread. */
export function computeCalibrationOffThread(
  items: readonly CalibrationItem[],
  options: CalibrationOptions,
): Promise<CalibrationReport> {
  return onThread({ kind: 'report', items: items.map(metricFields), options });
}

/** thresholdSweep on the calibration thread. */
export function thresholdSweepOffThread(
  items: readonly CalibrationItem[],
  options: Parameters<typeof thresholdSweep>[1],
): Promise<SweepRow[]> {
  return onThread({ kind: 'sweep', items: items.map(metricFields), options });
}

/** comparePaired on the calibration thread. */
export function comparePairedOffThread(
  current: readonly CalibrationItem[],
  candidate: readonly CalibrationItem[],
  options: Parameters<typeof comparePaired>[2],
): Promise<PairedComparison> {
  return onThread({
    kind: 'compare',
    current: current.map(metricFields),
    candidate: candidate.map(metricFields),
    options,
  });
}
