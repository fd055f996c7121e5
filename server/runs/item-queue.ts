/**
 * A run's waiting items, first in first out, kept per provider so that taking the next item a
 * free provider may start costs the same whatever the run's size (an array spliced at the front
 * costs its length every time: quadratic over a run of 50,000 items).
 */
export class ItemQueue<T> {
  private seq = 0;
  private count = 0;
  private readonly lanes = new Map<string, { entries: { seq: number; item: T }[]; head: number }>();

  get size(): number {
    return this.count;
  }

  push(provider: string, item: T): void {
    let lane = this.lanes.get(provider);
    if (!lane) this.lanes.set(provider, (lane = { entries: [], head: 0 }));
    lane.entries.push({ seq: this.seq++, item });
    this.count++;
  }

  /** Takes the earliest item among the providers `free` allows, or null. */
  take(free: (provider: string) => boolean): T | null {
    let best: { provider: string; seq: number } | null = null;
    for (const [provider, lane] of this.lanes) {
      const first = lane.entries[lane.head];
      if (first && (best === null || first.seq < best.seq) && free(provider)) best = { provider, seq: first.seq };
    }
    if (best === null) return null;
    const lane = this.lanes.get(best.provider)!;
    const { item } = lane.entries[lane.head]!;
    lane.head++;
    this.count--;
    if (lane.head > 1024 && lane.head * 2 > lane.entries.length) {
      lane.entries = lane.entries.slice(lane.head);
      lane.head = 0;
    }
    return item;
  }
}
