import { memo, useMemo } from 'react';
import '../../styles/transcript-reader.css';
import {
  formatArgs,
  formatValue,
  readTranscript,
  type ReadableEvent,
  type ReplyPart,
  type ToolPart,
  type TurnBlock,
} from './transcriptBlocks.ts';

const STATUS_TEXT = {
  completed: 'The run completed.',
  stopped: 'The run was stopped before the end.',
  failed: 'The run failed before the end.',
} as const;

/**
 * A transcript to read and judge: the operator's system prompt (folded), then each turn (the
 * user's message, the model's messages, its tool calls with their arguments and results), skipped
 * turns and red flags. Plain text only; each turn is its own box with `content-visibility: auto`,
 * so a 200-turn transcript lays out only what is on screen.
 */
export const TranscriptReader = memo(function TranscriptReader({ events }: { events: readonly ReadableEvent[] }) {
  const t = useMemo(() => readTranscript(events), [events]);
  return (
    <div className="tr" data-testid="transcript">
      <p className="tr-summary" data-testid="transcript-summary">
        {t.turns} turn{t.turns === 1 ? '' : 's'} · {t.toolCalls} tool call{t.toolCalls === 1 ? '' : 's'}
        {t.redFlags > 0 && (
          <span className="tr-flag-count">
            {' '}
            · {t.redFlags} red-flag call{t.redFlags === 1 ? '' : 's'}
          </span>
        )}
      </p>
      {t.blocks.map((b, i) => {
        if (b.kind === 'system') {
          return (
            <details className="tr-system" key={i} data-testid="transcript-system">
              <summary>Operator's system prompt</summary>
              <div className="tr-text">{b.content}</div>
            </details>
          );
        }
        if (b.kind === 'document') {
          return (
            <details className="tr-system" key={i} data-testid="transcript-document">
              <summary>
                {b.placement === 'user-attachment'
                  ? `Attached by the user: ${b.title}`
                  : `Result the model already had from ${b.tool ?? 'a tool'}: ${b.title}`}
              </summary>
              <div className="tr-text">{b.content}</div>
            </details>
          );
        }
        if (b.kind === 'turn') return <Turn key={i} block={b} />;
        if (b.kind === 'skipped') {
          return (
            <p className="tr-skipped" key={i} data-testid="transcript-skipped">
              <span className="tr-skipped-label">Scripted turn {b.scriptIndex + 1} not sent</span> (only {b.condition}):{' '}
              {b.reason}
            </p>
          );
        }
        return (
          <p className="tr-error" key={i}>
            Error ({b.code}): {b.message}
          </p>
        );
      })}
      {t.status && t.status !== 'completed' && <p className="tr-end">{STATUS_TEXT[t.status]}</p>}
    </div>
  );
});

function Turn({ block }: { block: TurnBlock }) {
  return (
    <section className="tr-turn" data-testid="transcript-turn" aria-label={`Turn ${block.turn + 1}`}>
      <div className="tr-user">
        <div className="tr-who">
          User · turn {block.turn + 1}
          {block.source === 'generated' && <span className="tr-tag">simulated user</span>}
        </div>
        <div className="tr-text">{block.content}</div>
      </div>
      {block.parts.length === 0 && <p className="tr-none">No reply.</p>}
      {block.parts.map((p, i) => (
        <Part key={i} part={p} />
      ))}
    </section>
  );
}

function Part({ part }: { part: ReplyPart }) {
  if (part.kind === 'text') {
    return (
      <div className="tr-assistant" data-testid="transcript-assistant">
        <div className="tr-who">Assistant</div>
        <div className="tr-text">{part.text}</div>
      </div>
    );
  }
  if (part.kind === 'reasoning') {
    return (
      <details className="tr-system" data-testid="transcript-reasoning">
        <summary>The assistant’s reasoning (the user did not see it)</summary>
        <div className="tr-text">{part.text}</div>
      </details>
    );
  }
  if (part.kind === 'error') {
    return (
      <p className="tr-error">
        Error ({part.code}): {part.message}
      </p>
    );
  }
  return <ToolCall part={part} />;
}

function ToolCall({ part }: { part: ToolPart }) {
  const args = formatArgs(part.args);
  const result = part.result ? formatValue(part.result.value) : null;
  const flagged = part.redFlags.length > 0;
  return (
    <div className={flagged ? 'tr-tool flagged' : 'tr-tool'} data-testid="transcript-tool">
      <div className="tr-call mono">
        <span className="tr-call-label">called</span> <strong>{part.tool}</strong>({args.inline ?? ''}
        {args.block === null && ')'}
      </div>
      {args.block !== null && (
        <pre className="tr-code">
          {args.block}
          {'\n)'}
        </pre>
      )}
      {flagged &&
        part.redFlags.map((r, i) => (
          <p className="tr-redflag" key={i} data-testid="transcript-red-flag">
            Red flag: {r}
          </p>
        ))}
      {part.result === null ? (
        <p className="tr-result-none">No result.</p>
      ) : result && result.long ? (
        <details className="tr-result">
          <summary>
            <span className={part.result.isError ? 'tr-result-label error' : 'tr-result-label'}>
              {part.result.isError ? 'error' : 'returned'}
            </span>{' '}
            <span className="tr-result-peek">{result.text.replace(/\s+/g, ' ').slice(0, 110)}…</span>
            {part.result.mode === 'simulator' && <span className="tr-tag">simulated</span>}
          </summary>
          <pre className="tr-code">{result.text}</pre>
        </details>
      ) : (
        <div className="tr-result-line mono">
          <span className={part.result.isError ? 'tr-result-label error' : 'tr-result-label'}>
            {part.result.isError ? 'error' : 'returned'}
          </span>{' '}
          {result?.text}
          {part.result.mode === 'simulator' && <span className="tr-tag">simulated</span>}
        </div>
      )}
    </div>
  );
}
