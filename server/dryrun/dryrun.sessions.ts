/**
 * The dry-runs streaming right now, so Stop and play-the-model replies can reach them. An entry
 * lives exactly as long as its stream: nothing is kept for a stream that has ended.
 */
export class DryRunSessions {
  private readonly live = new Map<
    string,
    {
      controller: AbortController;
      pending: { turn: number; resolve: (text: string) => void } | null;
      closed: Promise<void>;
      markClosed: () => void;
    }
  >();

  open(id: string, controller: AbortController): void {
    let markClosed = () => {};
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    this.live.set(id, { controller, pending: null, closed, markClosed });
  }

  /** Called once the run's transcript is stored. */
  close(id: string): void {
    this.live.get(id)?.markClosed();
    this.live.delete(id);
  }

  /** Stops every running dry-run and waits until each has stored its transcript (for shutdown). */
  async drain(): Promise<void> {
    const all = [...this.live.values()];
    for (const s of all) s.controller.abort();
    await Promise.all(all.map((s) => s.closed));
  }

  get size(): number {
    return this.live.size;
  }

  /** Aborts a running dry-run; false when it is not running. */
  stop(id: string): boolean {
    const s = this.live.get(id);
    if (!s) return false;
    s.controller.abort();
    return true;
  }

  /** Play-the-model mode: waits for the author's reply to `turn` (rejects when the run is stopped). */
  waitForReply(id: string, turn: number, signal: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      const s = this.live.get(id);
      if (!s) return reject(new Error('dry-run is not running'));
      const onAbort = () => reject(new DOMException('stopped', 'AbortError'));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      s.pending = {
        turn,
        resolve: (text) => {
          signal.removeEventListener('abort', onAbort);
          s.pending = null;
          resolve(text);
        },
      };
    });
  }

  /** Delivers the author's reply; false when the run is not waiting for one. */
  reply(id: string, text: string): boolean {
    const pending = this.live.get(id)?.pending;
    if (!pending) return false;
    pending.resolve(text);
    return true;
  }
}
