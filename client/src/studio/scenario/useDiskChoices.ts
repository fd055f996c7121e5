import { ApiError } from '../../api/client.ts';
import { createScenarioText, fetchScenario } from '../../api/scenarios.api.ts';
import type { ScenarioSession } from './useScenarioSession.ts';
import { writeFailure } from './writeFailure.ts';

/**
 * What the user can do when the file on disk and the editor disagree (a refused save, a change
 * made elsewhere): load the disk's version, compare the two, or keep the editor's text as a new
 * scenario and leave the file as it is.
 */
export function useDiskChoices(
  { id, session, stateRef, dispatch }: ScenarioSession,
  withBusy: <T>(work: () => Promise<T>) => Promise<T>,
  refreshLists: () => void,
) {
  const reloadFromDisk = async () => {
    try {
      const d = await fetchScenario(id);
      dispatch({ type: 'loadTheirs', theirs: { content: d.content, hash: d.hash } });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) dispatch({ type: 'diskChanged', theirs: null });
      else dispatch({ type: 'failed', ...writeFailure(e, 'Could not reload') });
    }
  };
  const compareWithDisk = () => {
    const theirs = session.diskChange?.theirs ?? null;
    dispatch({ type: 'conflict', theirs, cause: 'compare' });
  };
  const saveAsNew = async () => {
    await withBusy(async () => {
      try {
        await createScenarioText(stateRef.current.text);
        dispatch({ type: 'closeConflict' });
        refreshLists();
        void reloadFromDisk();
      } catch (e) {
        dispatch({ type: 'closeConflict' });
        dispatch({ type: 'failed', ...writeFailure(e, 'Not saved') });
      }
    });
  };
  return { reloadFromDisk, compareWithDisk, saveAsNew };
}
