/**
 * A token bucket per key: `capacity` requests at once, then one more every `refillMs`. Past
 * `maxKeys` the least recently used key is dropped, so memory stays bounded however many keys an
 * attacker invents.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly opts: { capacity: number; refillMs: number; maxKeys?: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request's token: 0 when allowed, else the milliseconds until the next token. */
  take(key: string): number {
    const now = this.now();
    const b = this.buckets.get(key);
    const tokens = b ? Math.min(this.opts.capacity, b.tokens + (now - b.at) / this.opts.refillMs) : this.opts.capacity;
    if (tokens < 1) return Math.ceil((1 - tokens) * this.opts.refillMs);
    this.buckets.delete(key); // re-inserted last: Map order is then least recently used first
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.buckets.size > (this.opts.maxKeys ?? 100_000)) this.buckets.delete(this.buckets.keys().next().value!);
    return 0;
  }
}
