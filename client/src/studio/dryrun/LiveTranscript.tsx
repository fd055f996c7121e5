import { JudgeVerdict } from './JudgeVerdict.tsx';
import { RunFailure } from './RunFailure.tsx';
import { RunHeader } from './RunHeader.tsx';
import { TranscriptView } from './TranscriptView.tsx';
import type { LiveRun } from './useLiveDryRun.ts';
import styles from './dryrun.module.css';

/** The run started here: streaming, or as it ended (stopped, failed, refused), its transcript kept. */
export function LiveTranscript({
  run,
  running,
  onReply,
}: {
  run: LiveRun;
  running: boolean;
  onReply(text: string): Promise<void>;
}) {
  return (
    <>
      <RunHeader
        label="Last run"
        status={liveStatus(run)}
        view={run.view}
        id={run.id}
        exportable={run.phase === 'ended'}
      />
      {run.failure !== null && <RunFailure error={run.failure} />}
      {/* Judging a finished run is one click away, above its transcript. */}
      {run.phase === 'ended' && run.id && run.view.done?.status === 'completed' && (
        <JudgeVerdict transcriptId={run.id} />
      )}
      <TranscriptView view={run.view} live={running} onReply={onReply} />
      {run.stopped && !run.view.done && (
        <div className={`${styles.txDone} ${styles.statusStopped}`} data-testid="tx-done" data-status="stopped">
          <strong>Stopped</strong> <span>by you; the transcript so far is kept.</span>
        </div>
      )}
    </>
  );
}

function liveStatus(run: LiveRun): string {
  if (run.phase === 'connecting') return 'starting';
  if (run.phase === 'streaming') return run.view.awaitingTurn !== null ? 'your turn' : 'running';
  if (run.view.done) return run.view.done.status;
  if (run.stopped) return 'stopped';
  return run.failure ? 'failed' : 'ended';
}
