import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { Dialog } from '../../components/Dialog.tsx';
import { TranscriptReader } from '../../rate/annotate/TranscriptReader.tsx';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { calibrationKeys } from '../../api/queryKeys.ts';
import { fetchTranscript, type Disagreement } from './calibration.api.ts';
import styles from './calibration.module.css';

/** One annotated transcript, as the annotators read it, with the judge's and the humans' scores. */
export function TranscriptDialog({ id, row, onClose }: { id: string; row: Disagreement | undefined; onClose(): void }) {
  const run = useQuery({
    queryKey: calibrationKeys.transcript(id),
    queryFn: () => fetchTranscript(id),
    staleTime: Infinity,
  });
  return (
    <Dialog title="Transcript" onClose={onClose} testId="transcript-dialog" wide>
      <div className={styles.transcriptDialog}>
        {run.data && (
          <p className={styles.transcriptMeta}>
            <Link href={`/studio/scenarios/${run.data.scenarioId}`} className="mono">
              {run.data.scenarioId}
            </Link>{' '}
            · model <span className="mono">{run.data.model}</span> · {new Date(run.data.startedAt).toLocaleString()}
            {row && (
              <>
                {' '}
                · judge {row.judgeScore}, humans {row.humanMean.toFixed(1)}{' '}
                <span className="muted">(alignment 1–5, higher is better)</span>
              </>
            )}{' '}
            · <a href={`/api/dryruns/${id}/export`}>Download JSON</a>
          </p>
        )}
        <ErrorMessage error={run.error} />
        {!run.data && !run.error && <p aria-busy="true">Loading…</p>}
        {run.data && <TranscriptReader events={run.data.events} />}
      </div>
    </Dialog>
  );
}
