import { memo } from 'react';
import type { ReplyPart, TranscriptBlock, TurnBlock } from '../../transcript/transcriptFold.ts';
import { HumanReplyForm } from './HumanReplyForm.tsx';
import { durationText, jsonText } from './runFormat.ts';
import styles from './dryrun.module.css';

// One memoised component per block: while tokens stream in only the block that changed renders
// again. Everything a model or an author wrote is rendered as text, never as HTML.

export interface BlockProps {
  block: TranscriptBlock;
  /** The run is live and this is its last block (shows the caret, the reply form). */
  live: boolean;
  onReply?: (text: string) => Promise<void>;
}

export const TranscriptBlockView = memo(function TranscriptBlockView({ block, live, onReply }: BlockProps) {
  switch (block.kind) {
    case 'system':
      return (
        <details className={`${styles.txBlock} ${styles.txSystem}`} data-testid="tx-system">
          <summary>
            System prompt <span className="muted">· {block.content.length.toLocaleString('en')} characters</span>
          </summary>
          <div className="text-block">{block.content}</div>
        </details>
      );
    case 'document':
      return (
        <details
          className={`${styles.txBlock} ${styles.txSystem}`}
          data-testid="tx-document"
          data-placement={block.placement}
        >
          <summary>
            {block.placement === 'user-attachment' ? 'Attached to the first user message: ' : 'Earlier tool result: '}
            <strong>{block.title}</strong>
            {block.tool && (
              <span className="muted">
                {' '}
                · from <span className="mono">{block.tool}</span>({JSON.stringify(block.args ?? {})})
              </span>
            )}
          </summary>
          <div className="text-block">{block.content}</div>
        </details>
      );
    case 'turn':
      return <TurnView turn={block} live={live} onReply={onReply} />;
    case 'skipped':
      return (
        <section
          className={`${styles.txBlock} ${styles.txSkipped}`}
          data-testid="tx-skipped"
          data-script-index={block.scriptIndex}
        >
          <div className={styles.txTurnHead}>
            <span className="turn-number">Script turn {block.scriptIndex + 1} skipped (not sent)</span>
            {block.tactic && <span className="tactic">{block.tactic}</span>}
            <span className="condition conditional">{block.condition}</span>
          </div>
          <div className={styles.txReason} data-testid="tx-skip-reason">
            {block.reason}
          </div>
          <details className={styles.txSkippedContent}>
            <summary>The turn that was not sent</summary>
            <div className="text-block">{block.content}</div>
          </details>
        </section>
      );
    case 'ended':
      return (
        <div className={`${styles.txBlock} tx-ended`} data-testid="tx-ended" data-reason={block.reason}>
          <strong>The agent's run ended</strong> after step {block.steps}: {block.detail}
        </div>
      );
    case 'error':
      return (
        <div
          className={
            block.fatal ? `${styles.txBlock} ${styles.txError} ${styles.fatal}` : `${styles.txBlock} ${styles.txError}`
          }
          role="alert"
          data-testid="tx-error"
          data-code={block.code}
        >
          <strong>{errorTitle(block.code)}</strong> {block.message}
        </div>
      );
  }
});

function TurnView({
  turn,
  live,
  onReply,
}: {
  turn: TurnBlock;
  live: boolean;
  onReply?: (text: string) => Promise<void>;
}) {
  const waitingForModel = live && !turn.awaiting && turn.parts.length === 0 && !turn.usage;
  return (
    <section className={`${styles.txBlock} ${styles.txTurn}`} data-testid="tx-turn" data-turn={turn.turn}>
      <div className={styles.txTurnHead}>
        {/* "Turn N" counts what was sent; "script turn M" is always the scenario's numbering. */}
        <span className="turn-number" data-testid="tx-turn-number">
          Turn {turn.turn + 1}
          {turn.scriptIndex !== null && turn.scriptIndex !== turn.turn && (
            <span className="muted"> (script turn {turn.scriptIndex + 1})</span>
          )}
        </span>
        {turn.source === 'generated' && (
          <span className={`badge ${styles.txGenerated}`}>written by the simulated user</span>
        )}
        {turn.trigger && (
          <span className="condition" data-testid="tx-trigger">
            {turn.trigger}
          </span>
        )}
        {turn.tactic && (
          <span className="tactic" data-testid="tx-tactic">
            {turn.tactic}
          </span>
        )}
        {turn.condition && <span className="condition conditional">{turn.condition}</span>}
      </div>
      {turn.conditionReason && (
        <div className={styles.txReason} data-testid="tx-condition-reason">
          Sent: {turn.conditionReason}
        </div>
      )}
      {/* An autonomous agent has no user: its inputs are automated. */}
      <div className={styles.txRole}>{turn.speaker === 'automated' ? 'Automated input' : 'User'}</div>
      <div className={`text-block ${styles.txUser}`} data-testid="tx-user" data-speaker={turn.speaker}>
        {turn.content}
      </div>
      <div className={styles.txRole}>Model</div>
      <div className={styles.txModel}>
        {turn.parts.map((p) => (
          <PartView key={p.key} part={p} live={live} />
        ))}
        {waitingForModel && <div className={styles.txWaiting}>waiting for the model…</div>}
        {turn.awaiting && live && onReply && <HumanReplyForm turn={turn.turn} onReply={onReply} />}
        {turn.awaiting && !live && <div className={styles.txWaiting}>no reply was typed</div>}
        {!live && turn.parts.length === 0 && !turn.awaiting && <div className={styles.txWaiting}>no reply</div>}
      </div>
      {turn.usage && (
        <div className={styles.txUsage} data-testid="tx-usage">
          {turn.usage.inputTokens.toLocaleString('en')} in · {turn.usage.outputTokens.toLocaleString('en')} out ·{' '}
          {durationText(turn.usage.latencyMs)}
          {turn.usage.ttftMs !== null && <> · first token {durationText(turn.usage.ttftMs)}</>}
        </div>
      )}
    </section>
  );
}

function PartView({ part, live }: { part: ReplyPart; live: boolean }) {
  switch (part.kind) {
    case 'reasoning':
      return (
        <details className={styles.txReasoning} data-testid="tx-reasoning">
          <summary>
            Reasoning{' '}
            <span className="muted">· {part.text.length.toLocaleString('en')} characters, not shown to the user</span>
          </summary>
          <div className="text-block">{part.text}</div>
        </details>
      );
    case 'scripted':
      return (
        <div className={`${styles.txReply} tx-scripted`} data-testid="tx-scripted" data-prefill={part.prefill}>
          <span className={`badge ${styles.txGenerated}`}>
            {part.prefill
              ? 'prefill written by the author; the model continues it'
              : 'scripted by the author, not generated'}
          </span>{' '}
          {part.text}
        </div>
      );
    case 'text':
      return (
        <div className={styles.txReply} data-testid="tx-reply">
          {part.text}
          {part.open && live && <span className={styles.txCaret} aria-hidden />}
        </div>
      );
    case 'tool':
      return (
        <div
          className={part.redFlags.length > 0 ? `${styles.txTool} ${styles.flagged}` : styles.txTool}
          data-testid="tx-tool"
          data-tool={part.tool}
        >
          <div className={styles.txToolHead}>
            <span className={styles.txToolLabel}>tool call</span>
            <span className="mono tool-name">{part.tool}</span>
            {part.result ? (
              <span
                className={part.result.isError ? 'sim-mode error' : 'sim-mode'}
                data-testid="tx-tool-mode"
                title="How the simulated result was made"
              >
                {modeText(part.result.mode)}
              </span>
            ) : (
              live && <span className={styles.txWaiting}>simulating…</span>
            )}
          </div>
          {part.redFlags.map((reason, i) => (
            <div key={i} className={styles.txRedFlag} role="alert" data-testid="tx-red-flag">
              <strong>⚑ Red flag</strong> {reason}
            </div>
          ))}
          <div className={styles.txToolIo}>
            <div>
              <div className="sub-label">Arguments</div>
              <pre className={styles.txJson} data-testid="tx-tool-args">
                {jsonText(part.args)}
              </pre>
            </div>
            {part.result && (
              <div>
                <div className="sub-label">{part.result.isError ? 'Error result' : 'Simulated result'}</div>
                <pre
                  className={part.result.isError ? `${styles.txJson} error` : styles.txJson}
                  data-testid="tx-tool-result"
                >
                  {jsonText(part.result.value)}
                </pre>
              </div>
            )}
          </div>
          {part.result?.state && (
            <details className={styles.txState} data-testid="tx-tool-state">
              <summary>State after this call</summary>
              <pre className={styles.txJson}>{jsonText(part.result.state)}</pre>
            </details>
          )}
        </div>
      );
    case 'error':
      return (
        <div
          className={part.fatal ? `${styles.txError} ${styles.fatal}` : styles.txError}
          role="alert"
          data-testid="tx-error"
          data-code={part.code}
        >
          <strong>{errorTitle(part.code)}</strong> {part.message}
        </div>
      );
  }
}

const MODES: Record<string, string> = {
  fixed: 'fixed result',
  case: 'matched case',
  default: 'default result',
  simulator: 'simulator model',
  error: 'error',
};
const modeText = (mode: string) => MODES[mode] ?? mode;

const ERRORS: Record<string, string> = {
  auth: 'The provider refused the key.',
  rate_limited: 'Rate limited.',
  provider_error: 'The provider failed.',
  timeout: 'Timed out.',
  stream_cut: 'The stream was cut.',
  unreachable: 'The provider is unreachable.',
  bad_tool_call: 'Invalid tool call.',
  simulation_failed: 'Tool simulation failed.',
  referee_failed: 'The referee failed.',
  config: 'Configuration.',
  aborted: 'Stopped.',
  internal: 'Internal error.',
};
const errorTitle = (code: string) => ERRORS[code] ?? 'Error.';
