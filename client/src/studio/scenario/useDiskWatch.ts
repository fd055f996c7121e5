import { useCallback, useEffect, useRef, type Dispatch, type RefObject } from 'react';
import { ApiError } from '../../api/client.ts';
import { onScenarioChange } from '../../api/liveEvents.ts';
import { fetchScenario } from '../../api/scenarios.api.ts';
import type { DiskVersion, SessionAction, SessionState } from './scenarioSession.ts';

const SETTLE_MS = 120;

/**
 * Watches the open scenario's file through the server's change events and compares what is on
 * disk with the version the editor is based on. Our own writes cause change events too: while
 * one is in flight (`withBusy`), the comparison waits until it is done, so it raises no false alarm.
 */
export function useDiskWatch(
  id: string,
  ready: boolean,
  stateRef: RefObject<SessionState>,
  dispatch: Dispatch<SessionAction>,
) {
  const busy = useRef(0);
  const recheck = useRef(false);

  const verifyDisk = useCallback(async () => {
    if (busy.current > 0) {
      recheck.current = true;
      return;
    }
    let theirs: DiskVersion | null;
    try {
      const d = await fetchScenario(id);
      theirs = { content: d.content, hash: d.hash };
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) return;
      theirs = null;
    }
    if (busy.current > 0) {
      recheck.current = true;
      return;
    }
    if (theirs && theirs.hash === stateRef.current.baseHash) dispatch({ type: 'diskInSync' });
    else dispatch({ type: 'diskChanged', theirs });
  }, [id, stateRef, dispatch]);

  const withBusy = useCallback(
    async <T>(work: () => Promise<T>): Promise<T> => {
      busy.current++;
      try {
        return await work();
      } finally {
        busy.current--;
        if (busy.current === 0 && recheck.current) {
          recheck.current = false;
          void verifyDisk();
        }
      }
    },
    [verifyDisk],
  );

  useEffect(() => {
    if (!ready) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onScenarioChange((event) => {
      if (event.id !== id && event.relPath !== stateRef.current.relPath) return;
      clearTimeout(timer);
      timer = setTimeout(() => void verifyDisk(), SETTLE_MS);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [id, ready, stateRef, verifyDisk]);

  return withBusy;
}
