import { useQuery } from '@tanstack/react-query';
import { runKeys } from '../../api/queryKeys.ts';
import { fetchRun } from './runs.api.ts';
import { useRunEvents } from './useRunEvents.ts';

const POLL_MS = 5000;

/**
 * A run as it goes: its summary, and its progress from the run's event stream. The summary is
 * asked again every 5 s while the run is running or queued: the stream carries progress, this
 * catches the end if the stream missed it. `active`: the run is running or queued.
 */
export function useRunLive(id: string) {
  const run = useQuery({
    queryKey: runKeys.run(id),
    queryFn: () => fetchRun(id),
    refetchInterval: (q) => (isActive(q.state.data?.status) ? POLL_MS : false),
  });
  const progress = useRunEvents(run.data);
  return { run, progress, active: isActive(run.data?.status) };
}

const isActive = (status: string | undefined) => status === 'running' || status === 'queued';
