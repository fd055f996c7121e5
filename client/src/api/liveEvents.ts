import type { QueryClient } from '@tanstack/react-query';
import { ScenarioChangeEventSchema, type ScenarioChangeEvent } from '../../../schema/api/scenarios.ts';
import { queryKeys } from './queryKeys.ts';

// One EventSource per tab on GET /api/scenarios/events. Every change (a save here, in another
// tab, or an edit on disk) refreshes the lists; pages that hold a scenario open subscribe to
// decide for themselves (the editor must never replace text under the user's hands).

type Listener = (event: ScenarioChangeEvent) => void;
const listeners = new Set<Listener>();

/** Calls `listener` for every scenario change the server announces; returns the unsubscriber. */
export function onScenarioChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Opens the event stream (EventSource reconnects by itself after a dropped connection). */
export function connectLiveEvents(queryClient: QueryClient): () => void {
  const source = new EventSource('/api/scenarios/events');
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  // A burst of changes (a git checkout) refreshes the lists once.
  const refreshLists = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.scenarioLists });
      void queryClient.invalidateQueries({ queryKey: queryKeys.taxonomy, exact: true });
    }, 100);
  };
  source.addEventListener('change', (e) => {
    const parsed = ScenarioChangeEventSchema.safeParse(safeJson((e as MessageEvent<string>).data));
    if (!parsed.success) return;
    refreshLists();
    for (const l of listeners) l(parsed.data);
  });
  source.addEventListener('taxonomy', () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.taxonomy });
    refreshLists();
  });
  // After a reconnect we may have missed changes.
  let opened = false;
  source.addEventListener('open', () => {
    if (opened) refreshLists();
    opened = true;
  });
  return () => {
    clearTimeout(refreshTimer);
    source.close();
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
