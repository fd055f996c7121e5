/** Slows password guessing: after 10 failures for one email in 15 minutes, refuse for the rest of the window. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly max = 10,
    private readonly windowMs = 15 * 60_000,
  ) {}

  blocked(key: string): boolean {
    return this.recent(key).length >= this.max;
  }

  fail(key: string): void {
    this.failures.set(key, [...this.recent(key), Date.now()]);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const now = Date.now();
    return (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
  }
}
