import { readFileSync } from 'node:fs';

/**
 * The calling thread's user + system CPU time in ms (Linux, in 10 ms ticks; 0 where /proc is
 * missing). process.cpuUsage counts every thread of the process, which cannot tell the index's
 * main thread from its workers.
 */
export function threadCpuMs(): number {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}
