import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { RunProgressSchema, type RunProgress, type RunSummary } from '../../../../schema/api/runs.ts';
import { runKeys } from '../../api/queryKeys.ts';
import { runEventsUrl } from './runs.api.ts';

/**
 * A running run's progress as the server pushes it (SSE `progress`), falling back to the summary's
 * when nothing has arrived yet. On `finished` the run, the list and the results are fetched again.
 * The stream is open only while the run is queued or running.
 */
export function useRunEvents(run: RunSummary | undefined): RunProgress | undefined {
  const queryClient = useQueryClient();
  const [live, setLive] = useState<{ runId: string; progress: RunProgress } | null>(null);
  const active = run?.status === 'running' || run?.status === 'queued';
  const id = run?.id;

  useEffect(() => {
    if (!active || !id) return;
    const source = new EventSource(runEventsUrl(id));
    source.addEventListener('progress', (e) => {
      const parsed = RunProgressSchema.safeParse(JSON.parse((e as MessageEvent<string>).data));
      if (parsed.success) setLive({ runId: id, progress: parsed.data });
    });
    source.addEventListener('finished', () => {
      source.close();
      void queryClient.invalidateQueries({ queryKey: runKeys.all });
    });
    return () => source.close();
  }, [active, id, queryClient]);

  if (!run) return undefined;
  // A live figure is newer than the summary's while running; once settled, the summary is the truth.
  return active && live?.runId === run.id ? live.progress : run.progress;
}
