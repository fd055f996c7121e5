import { describe, expect, it } from 'vitest';
import { LoginThrottle, SIGN_IN_RULES } from '../../server/people/login-throttle.ts';

/** A throttle on a clock the test moves. */
function throttleAt(rules = SIGN_IN_RULES) {
  const clock = { t: 1_000_000 };
  return { throttle: new LoginThrottle(rules, () => clock.t), clock };
}

describe('LoginThrottle', () => {
  it('makes an address guessing one account wait longer after each failure, up to the cap', () => {
    const { throttle, clock } = throttleAt();
    const waits: number[] = [];
    for (let i = 0; i < 25; i++) {
      const wait = throttle.waitMs('a', 'owner');
      waits.push(wait);
      clock.t += wait; // an attacker who waits exactly as long as told
      throttle.fail('a', 'owner');
    }
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits.slice(5, 10)).toEqual([1000, 2000, 4000, 8000, 16000]);
    for (let i = 6; i < waits.length; i++) expect(waits[i]!).toBeGreaterThanOrEqual(waits[i - 1]!);
    expect(Math.max(...waits)).toBe(Math.max(SIGN_IN_RULES.addressCapMs, SIGN_IN_RULES.accountCapMs));
  });

  it('never holds up an address with no failures, however many the account has', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 200; i++) throttle.fail(`attacker-${i % 20}`, 'owner');
    expect(throttle.waitMs('attacker-3', 'owner')).toBeGreaterThan(0);
    expect(throttle.waitMs('owners-laptop', 'owner')).toBe(0);
  });

  it('slows an address that sprays many accounts, each tried once', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < SIGN_IN_RULES.addressFree; i++) {
      expect(throttle.waitMs('sprayer', `user${i}`)).toBe(0);
      throttle.fail('sprayer', `user${i}`);
    }
    expect(throttle.waitMs('sprayer', 'someone-new')).toBe(SIGN_IN_RULES.baseDelayMs);
  });

  it('forgives the account when its owner gets in, but not the address', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 12; i++) throttle.fail('shared-cafe', `x${i}`);
    for (let i = 0; i < 6; i++) throttle.fail('elsewhere', 'owner');
    throttle.succeed('owner');
    expect(throttle.waitMs('elsewhere', 'owner')).toBe(0);
    expect(throttle.waitMs('shared-cafe', 'owner')).toBeGreaterThan(0);
  });

  it('forgets failures an hour after the last one, and keeps memory bounded', () => {
    const { throttle, clock } = throttleAt({ ...SIGN_IN_RULES, maxEntries: 100 });
    for (let i = 0; i < 20; i++) throttle.fail('a', 'owner');
    expect(throttle.waitMs('a', 'owner')).toBeGreaterThan(0);
    clock.t += SIGN_IN_RULES.forgetAfterMs + 1;
    expect(throttle.waitMs('a', 'owner')).toBe(0);
    for (let i = 0; i < 10_000; i++) throttle.fail(`addr-${i}`, `acct-${i}`);
    const sizes = throttle as unknown as { byAddress: Map<string, unknown>; byAccount: Map<string, unknown> };
    expect(sizes.byAddress.size).toBeLessThanOrEqual(100);
    expect(sizes.byAccount.size).toBeLessThanOrEqual(100);
  });
});
