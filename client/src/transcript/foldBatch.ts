import type { ReplyPart, TranscriptBlock, TranscriptView, TurnBlock } from './transcriptFold.ts';

// The copy-on-write bookkeeping of the transcript fold (transcriptFold.ts), apart from what each
// event means: the fold's views are kept by React as they were, so a batch must never change an
// object an earlier view holds.

type TextPart = Extract<ReplyPart, { kind: 'text' }>;

/**
 * One batch of events applied copy-on-write: a block or part is copied the first time the batch
 * changes it, and objects made in this batch (`fresh`) are changed in place after that.
 */
export class Batch {
  readonly next: TranscriptView;
  private readonly fresh = new WeakSet<object>();

  constructor(view: TranscriptView) {
    this.next = { ...view, blocks: view.blocks.slice() };
  }

  get blocks(): TranscriptBlock[] {
    return this.next.blocks;
  }

  push(block: TranscriptBlock) {
    this.fresh.add(block);
    this.blocks.push(block);
  }

  /** The turn's block, ours to change; null for a turn that never started. */
  turnAt(turn: number): TurnBlock | null {
    const blocks = this.blocks;
    for (let i = blocks.length - 1; i >= 0; i--) {
      const b = blocks[i]!;
      if (b.kind === 'turn' && b.turn === turn) {
        if (this.fresh.has(b)) return b;
        const copy: TurnBlock = { ...b, parts: b.parts.slice() };
        this.fresh.add(copy);
        blocks[i] = copy;
        return copy;
      }
    }
    return null;
  }

  /** A part of a turn from `turnAt`, ours to change. */
  ownPart<P extends ReplyPart>(turn: TurnBlock, index: number): P {
    const p = turn.parts[index]!;
    if (this.fresh.has(p)) return p as P;
    const copy = { ...p } as P;
    this.fresh.add(copy);
    turn.parts[index] = copy;
    return copy;
  }

  pushPart(turn: TurnBlock, part: ReplyPart) {
    this.fresh.add(part);
    turn.parts.push(part);
  }

  closeOpenText(t: TurnBlock) {
    t.parts.forEach((p, i) => {
      if (p.kind === 'text' && p.open) this.ownPart<TextPart>(t, i).open = false;
    });
  }
}
