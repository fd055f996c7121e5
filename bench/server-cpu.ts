import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { topSelfTime, type ProfileEntry } from './cpu-profile.ts';

// The CPU a server process spent, read from outside it: what a request costs the server, apart from
// the load generator that shares the machine's cores with it. Load on the machine stretches
// latency, not CPU time, so this is the figure that holds on a shared machine.

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: /proc counts CPU time in ticks of 10 ms

/** User plus system CPU time of a process (every thread of it: GC, the pg and file I/O), in ms. */
export function processCpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces, hence the split at its closing paren):
  // state is the 1st, utime the 12th, stime the 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU time per thread kind of a process, in ms: the main thread, and the others grouped by name (V8's
 * compiler and GC helpers, libuv's pool). Tells JIT and GC work on helper threads apart from the main
 * thread's.
 */
export function threadCpuMs(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    // Node names its helper threads after itself: the main thread is told apart by its id.
    const name = tid === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
    byName.set(name, (byName.get(name) ?? 0) + ms);
  }
  return byName;
}

/** The change in each thread kind's CPU between two `threadCpuMs` readings, largest first, as "name 120 ms". */
export function threadCpuDelta(before: Map<string, number>, after: Map<string, number>): string {
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
