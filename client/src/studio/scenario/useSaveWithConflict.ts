import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { ScenarioConflictSchema } from '../../../../schema/api/scenarios.ts';
import { ApiError } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { fetchStaleRatings, saveScenario } from '../../api/scenarios.api.ts';
import { removeDraft } from './drafts.ts';
import { isDirty } from './scenarioSession.ts';
import type { ScenarioSession } from './useScenarioSession.ts';
import { writeFailure } from './writeFailure.ts';

/** A save that would make realism ratings stale, waiting for a confirmation of that very text. */
export interface StaleRatingsWarning {
  text: string;
  ratings: number;
  studies: { id: string; name: string; ratings: number }[];
}

const FLASH_MS = 2500;

/**
 * Saving the editor's text against the version it is based on. A save the server refuses because
 * the file changed meanwhile becomes a conflict for the user to resolve, never an overwrite; an
 * edit that changes what realism raters saw asks first (`staleWarning`, then `save(thatText)`).
 * `flash` is a short note in the save state ("Saved", "No changes to save").
 */
export function useSaveWithConflict(
  { id, ready, stateRef, dispatch }: ScenarioSession,
  withBusy: <T>(work: () => Promise<T>) => Promise<T>,
  refreshLists: () => void,
) {
  const queryClient = useQueryClient();
  const [flash, showFlash] = useFlash();
  const [staleWarning, setStaleWarning] = useState<StaleRatingsWarning | null>(null);

  const save = useCallback(
    async (confirmedText?: string) => {
      const s = stateRef.current;
      if (!ready || s.saving || s.conflict) return;
      if (!isDirty(s)) {
        showFlash('No changes to save');
        return;
      }
      const sentText = s.text;
      setStaleWarning(null);
      if (confirmedText !== sentText) {
        // Only edits that change what raters saw make ratings stale; say so before, not after.
        const preview = await fetchStaleRatings(id, sentText).catch(() => null);
        if (preview && preview.ratings > 0) {
          setStaleWarning({ text: sentText, ...preview });
          return;
        }
      }
      dispatch({ type: 'saveStarted' });
      await withBusy(async () => {
        try {
          const result = await saveScenario(id, sentText, s.baseHash);
          dispatch({ type: 'saved', sentText, hash: result.hash, relPath: result.relPath });
          if (stateRef.current.text === sentText) removeDraft(id);
          showFlash('Saved');
          refreshLists();
          // Whether it is still validated (an edit raters do not see keeps it so).
          void queryClient.invalidateQueries({ queryKey: queryKeys.scenario(id) });
        } catch (e) {
          if (e instanceof ApiError && e.envelope.code === 'conflict') {
            // The 409's body is read through its schema: a body without the version on disk shows none.
            const conflict = ScenarioConflictSchema.safeParse(e.body);
            dispatch({ type: 'conflict', theirs: conflict.success ? conflict.data.current : null, cause: 'save' });
          } else {
            dispatch({ type: 'failed', ...writeFailure(e, 'Not saved') });
          }
        }
      });
    },
    [id, ready, stateRef, dispatch, showFlash, withBusy, refreshLists, queryClient],
  );

  return { save, flash, staleWarning, dismissStaleWarning: () => setStaleWarning(null) };
}

/** A message shown for a moment, unless another replaced it meanwhile. */
function useFlash(): [string | null, (message: string) => void] {
  const [flash, setFlash] = useState<string | null>(null);
  const showFlash = useCallback((message: string) => {
    setFlash(message);
    setTimeout(() => setFlash((f) => (f === message ? null : f)), FLASH_MS);
  }, []);
  return [flash, showFlash];
}
