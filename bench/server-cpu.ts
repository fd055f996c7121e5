import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { statCpuMs, statName } from '../server/scenarios/thread-cpu.ts';
import { topSelfTime, type ProfileEntry } from './cpu-profile.ts';

// The CPU a server process spent, read from outside it: what a request costs the server, apart from
// the load generator that shares the machine's cores with it. Load on the machine stretches
// latency, not CPU time, so this is the figure that holds on a shared machine.

/** User plus system CPU time of a process (every thread of it: GC, the pg and file I/O), in ms. */
export const processCpuMs = (pid: number): number => statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));

/**
 * CPU time per thread kind of a process, in ms: the main thread, and the others grouped by name (V8's
 * compiler and GC helpers, libuv's pool). Tells JIT and GC work on helper threads apart from the main
 * thread's.
 */
export function cpuByThreadMs(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    // Node names its helper threads after itself: the main thread is told apart by its id.
    const name = tid === String(pid) ? 'main' : statName(stat);
    byName.set(name, (byName.get(name) ?? 0) + statCpuMs(stat));
  }
  return byName;
}

/** The change in each thread kind's CPU between two `cpuByThreadMs` readings, largest first, as "name 120 ms". */
export function cpuByThreadDelta(before: Map<string, number>, after: Map<string, number>): string {
  return [...after]
    .map(([name, ms]) => [name, ms - (before.get(name) ?? 0)] as const)
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`)
    .join(', ');
}

/** The machine's load averages over 1, 5 and 15 minutes, as a bench prints them beside its figures. */
export const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** The CPU time several server processes spent together, in ms. */
export const processesCpuMs = (pids: number[]) => pids.reduce((sum, pid) => sum + processCpuMs(pid), 0);

/**
 * Node arguments that make a server process write a V8 CPU profile into `dir` when it exits; read
 * it with `serverProfileTop`.
 */
export const profilingArgs = (dir: string) => ['--cpu-prof', `--cpu-prof-dir=${dir}`];

/** The functions that took the most self time in the profiles a server wrote into `dir` (all of them merged). */
export function serverProfileTop(dir: string, top = 15): ProfileEntry[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  return topSelfTime(
    files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8'))),
    top,
  );
}
