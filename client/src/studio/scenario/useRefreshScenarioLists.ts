import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { queryKeys } from '../../api/queryKeys.ts';

/** After a write to a scenario file: the lists (and the taxonomy's counts) read it again. */
export function useRefreshScenarioLists(): () => void {
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.scenarioLists });
    void queryClient.invalidateQueries({ queryKey: queryKeys.taxonomy, exact: true });
  }, [queryClient]);
}
