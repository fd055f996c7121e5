import { memo } from 'react';
import type { TranscriptView as View } from '../../transcript/transcriptFold.ts';
import { TranscriptBlockView } from './TranscriptBlocks.tsx';
import { costText, durationText, tokensText } from './runFormat.ts';
import { statusClass } from './statusClass.ts';
import styles from './dryrun.module.css';

interface TranscriptViewProps {
  view: View;
  /** Events are still arriving. */
  live: boolean;
  onReply?: (text: string) => Promise<void>;
}

/** A whole transcript: its blocks in order, then how it ended. */
export const TranscriptView = memo(function TranscriptView({ view, live, onReply }: TranscriptViewProps) {
  const last = view.blocks.length - 1;
  return (
    <div className={styles.tx} data-testid="transcript">
      {view.blocks.map((b, i) => (
        <TranscriptBlockView key={b.key} block={b} live={live && i === last} onReply={onReply} />
      ))}
      {view.done && <DoneLine done={view.done} redFlags={view.redFlags} />}
    </div>
  );
});

function DoneLine({ done, redFlags }: { done: NonNullable<View['done']>; redFlags: number }) {
  return (
    <div
      className={`${styles.txDone} ${statusClass('status', done.status)}`}
      data-testid="tx-done"
      data-status={done.status}
    >
      <strong>{done.status === 'completed' ? 'Completed' : done.status === 'stopped' ? 'Stopped' : 'Failed'}</strong>
      <span>{tokensText(done.inputTokens, done.outputTokens)} tokens</span>
      <span>{durationText(done.latencyMs)}</span>
      <span>{costText(done.costUsd)}</span>
      {redFlags > 0 && (
        <span className={styles.txFlagCount}>
          ⚑ {redFlags} red flag{redFlags === 1 ? '' : 's'}
        </span>
      )}
    </div>
  );
}
