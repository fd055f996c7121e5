import { useQuery } from '@tanstack/react-query';
import { useEffect, useReducer, useRef, useState } from 'react';
import type { Diagnostic } from '../../../../schema/diagnostic.ts';
import { ApiError } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { fetchScenario } from '../../api/scenarios.api.ts';
import { readDraft } from './drafts.ts';
import { initialSession, isDirty, sessionReducer } from './scenarioSession.ts';

/**
 * The open scenario: its document, fetched once, and the editing session it starts. The
 * document initialises the session once; later versions arrive only when the user asks (a
 * reload, a conflict), so the query never refetches on its own. `stateRef` is the session as of
 * the last render, for callbacks that must not go stale (a save, the disk watch).
 */
export function useScenarioSession(id: string) {
  const doc = useQuery({
    queryKey: queryKeys.scenario(id),
    queryFn: ({ signal }) => fetchScenario(id, signal),
    staleTime: Infinity,
    gcTime: 0,
    retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
  });
  const [session, dispatch] = useReducer(sessionReducer, undefined, initialSession);
  const stateRef = useRef(session);
  stateRef.current = session;
  const [loadedDoc, setLoadedDoc] = useState<{ text: string; diagnostics: Diagnostic[] } | null>(null);

  useEffect(() => {
    if (!doc.data || loadedDoc) return;
    dispatch({
      type: 'loaded',
      content: doc.data.content,
      hash: doc.data.hash,
      relPath: doc.data.relPath,
      draft: readDraft(id),
    });
    setLoadedDoc({ text: doc.data.content, diagnostics: doc.data.diagnostics });
  }, [doc.data, loadedDoc, id]);

  return { id, doc, session, dispatch, stateRef, loadedDoc, ready: loadedDoc !== null, dirty: isDirty(session) };
}

/** What useScenarioSession gives the page's other hooks. */
export type ScenarioSession = ReturnType<typeof useScenarioSession>;
