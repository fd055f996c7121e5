import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { collectStartUpGarbage } from '../../server/start-up-garbage.ts';

// Issue 20 point 2: a fresh server collects start-up's garbage once it is idle, so its first run
// does not pay for it (server/start-up-garbage.ts). Without --expose-gc, V8's gc function is
// fetched through a context made while the flag is set for a moment: the collection must happen,
// and no later context may get a gc global.

/** A small object only a WeakRef reaches (made in a function, so no local keeps it). */
const unreachable = () => new WeakRef({ made: Date.now() });

describe('collecting start-up garbage', () => {
  it('runs a full collection without --expose-gc, and leaves no gc global behind', async () => {
    expect(process.execArgv).not.toContain('--expose-gc');
    const ref = unreachable();
    // A WeakRef keeps its target for the rest of the job that made it: let the job end first.
    await new Promise((resolve) => setImmediate(resolve));
    expect(collectStartUpGarbage()).toBe(true);
    expect(ref.deref()).toBeUndefined();
    expect(runInNewContext('typeof gc')).toBe('undefined');
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
  });
});
