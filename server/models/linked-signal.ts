/**
 * Runs `work` with a signal of its own that aborts when `parent` does, and unlinks it when the work
 * settles. Long-lived signals (a run's stop, a request's) must not be handed to model calls
 * directly: the AI SDK leaves a listener on the signal of every call, so a shared signal collects
 * one per call for as long as it lives, and Node walks that list on every add (issue 20).
 */
export async function withLinkedSignal<T>(
  parent: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const child = new AbortController();
  if (!parent) return work(child.signal);
  if (parent.aborted) child.abort(parent.reason);
  const relay = () => child.abort(parent.reason);
  parent.addEventListener('abort', relay, { once: true });
  try {
    return await work(child.signal);
  } finally {
    parent.removeEventListener('abort', relay);
  }
}
