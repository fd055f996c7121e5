import type { DiffPiece } from './wordDiff.ts';
import { changedShare, wordDiff } from './wordDiff.ts';
import type { TranscriptBlock, TurnBlock } from '../../transcript/transcriptFold.ts';
import styles from './dryrun.module.css';

// "Mark differences" in the compare dialog: each lined-up turn as plain text (the message, then the
// answer with its tool calls), the words the other run does not share marked.

/** A turn's answer as text: the model's words, each tool call on a line of its own, scripted text marked. */
export function answerText(turn: TurnBlock): string {
  return turn.parts
    .map((p) => {
      switch (p.kind) {
        case 'text':
          return p.text;
        case 'scripted':
          return p.text;
        case 'tool':
          return `\n→ ${p.tool}(${JSON.stringify(p.args ?? {})})\n`;
        default:
          return '';
      }
    })
    .join('')
    .trim();
}

export interface TurnDiff {
  message: { left: DiffPiece[]; right: DiffPiece[] } | null;
  answer: { left: DiffPiece[]; right: DiffPiece[] } | null;
  /** Share of words in the two answers that are not in common (null: not compared). */
  answerChanged: number | null;
}

/** The diff of one row, when both runs have a turn there. */
export function diffTurns(a: TranscriptBlock | null, b: TranscriptBlock | null): TurnDiff | null {
  if (a?.kind !== 'turn' || b?.kind !== 'turn') return null;
  const answer = wordDiff(answerText(a), answerText(b));
  return {
    message: wordDiff(a.content, b.content),
    answer,
    answerChanged: answer ? changedShare(answer) : null,
  };
}

function Marked({ pieces, side }: { pieces: DiffPiece[]; side: 'left' | 'right' }) {
  return (
    <>
      {pieces.map((p, i) =>
        p.same ? (
          <span key={i}>{p.text}</span>
        ) : (
          <mark key={i} className={side === 'left' ? styles.diffLeft : styles.diffRight} data-testid="diff-mark">
            {p.text}
          </mark>
        ),
      )}
    </>
  );
}

/** One side of a lined-up turn, as text with the words the other side lacks marked. */
export function DiffTurnCell({ turn, diff, side }: { turn: TurnBlock; diff: TurnDiff; side: 'left' | 'right' }) {
  const message = diff.message?.[side];
  const answer = diff.answer?.[side];
  const who = turn.speaker === 'automated' ? 'Automated' : 'User';
  return (
    <section className={`${styles.txBlock} ${styles.compareDiff}`} data-testid="compare-diff">
      <div className={styles.txTurnHead}>
        <span className="turn-number">
          {who} · turn {turn.turn}
        </span>
        {diff.answerChanged !== null && (
          <span className="muted" data-testid="diff-share">
            {diff.answerChanged === 0
              ? 'same answer'
              : `${Math.round(diff.answerChanged * 100)}% of answer words differ`}
          </span>
        )}
      </div>
      <div className={`text-block ${styles.compareDiffMessage}`}>
        {message ? <Marked pieces={message} side={side} /> : turn.content}
      </div>
      <div className={styles.compareDiffLabel}>Model</div>
      <div className="text-block">
        {answer ? <Marked pieces={answer} side={side} /> : answerText(turn) || <em className="muted">no answer</em>}
      </div>
      {(!diff.message || !diff.answer) && <p className="muted">Too long to compare word by word.</p>}
    </section>
  );
}
