import type { Profiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';

/** Self time of one function in a CPU profile of this process. */
export interface ProfileEntry {
  name: string;
  ms: number;
  share: number;
}

/**
 * Profiles this process's JavaScript (V8's sampling profiler, as `node --cpu-prof` does) while
 * `work` runs, and returns the functions that took the most self time, idle time left out.
 */
export async function profileWhile<T>(work: () => Promise<T>, top = 12): Promise<{ result: T; top: ProfileEntry[] }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  let result: T;
  let profile;
  try {
    result = await work();
  } finally {
    ({ profile } = await session.post('Profiler.stop'));
    session.disconnect();
  }
  return { result, top: topSelfTime([profile], top) };
}

/**
 * The functions that took the most self time over one or more CPU profiles (what `Profiler.stop`
 * returns and `node --cpu-prof` writes), idle time left out.
 */
export function topSelfTime(profiles: Profiler.Profile[], top = 12): ProfileEntry[] {
  const selfUs = new Map<string, number>();
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples!.forEach((id, i) => {
      const frame = byId.get(id)!.callFrame;
      if (frame.functionName === '(idle)') return;
      const file = frame.url.split('/').pop();
      const name = `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
      selfUs.set(name, (selfUs.get(name) ?? 0) + profile.timeDeltas![i]!);
    });
  }
  const busy = [...selfUs.values()].reduce((s, x) => s + x, 0);
  return [...selfUs]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / busy }));
}
