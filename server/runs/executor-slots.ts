/** How many items a process runs at once, in all and per provider. */
export interface ExecutorLimits {
  concurrency: number;
  perProvider: (provider: string) => number;
}

/**
 * The items a process is running, counted against its limits. A server's executor has one per run
 * (the run's settings); a worker one for every run it works on, so its limits hold across runs.
 * A freed slot wakes every run waiting for one.
 */
export class ExecutorSlots {
  private running = 0;
  private readonly perProvider = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly limits: ExecutorLimits) {}

  /** Items at once, in all. */
  get concurrency(): number {
    return this.limits.concurrency;
  }

  free(): number {
    return this.limits.concurrency - this.running;
  }

  canStart(provider: string): boolean {
    return this.free() > 0 && (this.perProvider.get(provider) ?? 0) < this.limits.perProvider(provider);
  }

  take(provider: string): void {
    this.running++;
    this.perProvider.set(provider, (this.perProvider.get(provider) ?? 0) + 1);
  }

  give(provider: string): void {
    this.running--;
    this.perProvider.set(provider, this.perProvider.get(provider)! - 1);
    for (const listener of [...this.listeners]) listener();
  }

  /** Calls `listener` whenever a slot is freed; answers the unsubscribe. */
  onRelease(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
