/**
 * Slows password guessing without locking the owner out. Failed sign-ins are counted per client
 * address and per account; after a number of free failures, each further attempt must wait a delay
 * that doubles with every failure, up to a cap:
 * - per address: an address that keeps failing, on one account or spraying many, is slowed;
 * - per account: repeated guesses on one account are slowed, but only for addresses that have
 *   failed themselves, so the owner signing in from an address with no failures is never held up
 *   by an attacker elsewhere (an attacker gets one free guess per new address, then waits too).
 * Counts are forgotten an hour after their last failure. Memory is bounded: the oldest entries go first.
 */
export interface ThrottleRules {
  /** Failures from one address before it must wait. */
  addressFree: number;
  addressCapMs: number;
  /** Failures on one account before failing addresses must wait. */
  accountFree: number;
  accountCapMs: number;
  /** The first wait; each further failure doubles it. */
  baseDelayMs: number;
  forgetAfterMs: number;
  maxEntries: number;
}

export const SIGN_IN_RULES: ThrottleRules = {
  addressFree: 10,
  addressCapMs: 15 * 60_000,
  accountFree: 5,
  accountCapMs: 5 * 60_000,
  baseDelayMs: 1000,
  forgetAfterMs: 60 * 60_000,
  maxEntries: 100_000,
};

interface Failures {
  count: number;
  last: number;
}

export class LoginThrottle {
  private readonly byAddress = new Map<string, Failures>();
  private readonly byAccount = new Map<string, Failures>();
  constructor(
    private readonly rules: ThrottleRules = SIGN_IN_RULES,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds this address must wait before it may try this account again (0: go ahead). */
  waitMs(address: string, account: string): number {
    const fromAddress = this.recent(this.byAddress, address);
    if (!fromAddress) return 0; // an address with no failures is never held up
    const onAccount = this.recent(this.byAccount, account);
    return Math.max(
      this.remaining(fromAddress, this.rules.addressFree, this.rules.addressCapMs),
      onAccount ? this.remaining(onAccount, this.rules.accountFree, this.rules.accountCapMs) : 0,
    );
  }

  fail(address: string, account: string): void {
    this.bump(this.byAddress, address);
    this.bump(this.byAccount, account);
  }

  /** The owner got in: the account's guesses are forgiven (the address's are not: it may be spraying). */
  succeed(account: string): void {
    this.byAccount.delete(account);
  }

  private remaining(f: Failures, free: number, capMs: number): number {
    if (f.count < free) return 0;
    const delay = Math.min(capMs, this.rules.baseDelayMs * 2 ** (f.count - free));
    return Math.max(0, f.last + delay - this.now());
  }

  private recent(map: Map<string, Failures>, key: string): Failures | null {
    const f = map.get(key);
    if (!f) return null;
    if (this.now() - f.last > this.rules.forgetAfterMs) {
      map.delete(key);
      return null;
    }
    return f;
  }

  private bump(map: Map<string, Failures>, key: string): void {
    const count = (this.recent(map, key)?.count ?? 0) + 1;
    map.delete(key); // re-inserted last: Map order is then oldest-first, for eviction
    map.set(key, { count, last: this.now() });
    if (map.size > this.rules.maxEntries) map.delete(map.keys().next().value!);
  }
}
