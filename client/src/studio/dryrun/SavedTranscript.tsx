import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { dryRunKeys } from '../../api/queryKeys.ts';
import { fetchDryRun } from './dryrun.api.ts';
import { JudgeVerdict } from './JudgeVerdict.tsx';
import { RunFailure } from './RunFailure.tsx';
import { RunHeader } from './RunHeader.tsx';
import { TranscriptView } from './TranscriptView.tsx';
import { applyEvents, emptyTranscript } from '../../transcript/transcriptFold.ts';

/**
 * A stored dry-run, reopened: rendered from its events exactly as it looked live. Without `onClose` it is the latest
 * saved run, shown when the editor opens (nothing to go back to).
 */
export function SavedTranscript({
  id,
  label = 'Saved run',
  closeLabel,
  onClose,
}: {
  id: string;
  label?: string;
  closeLabel?: string;
  onClose?(): void;
}) {
  const run = useQuery({
    queryKey: dryRunKeys.run(id),
    queryFn: ({ signal }) => fetchDryRun(id, signal),
    staleTime: Infinity,
  });
  const view = useMemo(() => (run.data ? applyEvents(emptyTranscript, run.data.events) : null), [run.data]);
  return (
    <>
      <RunHeader
        label={label}
        status={run.data?.status ?? 'loading'}
        view={view ?? emptyTranscript}
        id={id}
        exportable={!!run.data && run.data.status !== 'running'}
      >
        {onClose && (
          <button type="button" className="btn btn-sm" data-testid="dryrun-close-saved" onClick={onClose}>
            {closeLabel}
          </button>
        )}
      </RunHeader>
      {run.error && <RunFailure error={run.error} />}
      {/* A run that ended without an error event (interrupted by a restart) still says why. */}
      {run.data?.error && run.data.status !== 'stopped' && !view?.fatal && (
        <div className="form-error">{run.data.error}</div>
      )}
      {run.data?.status === 'completed' && <JudgeVerdict transcriptId={id} />}
      {view && <TranscriptView view={view} live={false} />}
    </>
  );
}
