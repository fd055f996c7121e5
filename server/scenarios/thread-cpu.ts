import { readFileSync } from 'node:fs';

/** USER_HZ: /proc counts CPU time in ticks of 10 ms. */
const CLOCK_TICKS_PER_SECOND = 100;

/** A /proc stat line's command name (between the first "(" and the last ")": it may hold either). */
export const statName = (stat: string): string => stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));

/**
 * A /proc stat line's user + system CPU time in ms. The fields after the command name: state is the
 * 1st, utime the 12th, stime the 13th.
 */
export function statCpuMs(stat: string): number {
  const { user, system } = statUserSystemMs(stat);
  return user + system;
}

/** The user and the system CPU time apart, in ms, from a /proc stat line (fields 14 and 15). */
export function statUserSystemMs(stat: string): { user: number; system: number } {
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return {
    user: (Number(fields[11]) * 1000) / CLOCK_TICKS_PER_SECOND,
    system: (Number(fields[12]) * 1000) / CLOCK_TICKS_PER_SECOND,
  };
}

/**
 * The calling thread's user + system CPU time in ms (Linux, in 10 ms ticks; 0 where /proc is
 * missing). process.cpuUsage counts every thread of the process, which cannot tell the index's
 * main thread from its workers.
 */
export function threadCpuMs(): number {
  try {
    return statCpuMs(readFileSync('/proc/thread-self/stat', 'utf8'));
  } catch {
    return 0;
  }
}
