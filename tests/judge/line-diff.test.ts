import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../client/src/studio/judges/lineDiff.ts';

describe('lineDiff (judge prompt versions)', () => {
  it('marks the changed lines and keeps the rest', () => {
    expect(lineDiff('a\nb\nc\nd', 'a\nB\nc\nd\ne')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
      { kind: 'same', text: 'c' },
      { kind: 'same', text: 'd' },
      { kind: 'added', text: 'e' },
    ]);
  });

  it('gives the old text back from kept and removed lines, the new from kept and added ones', () => {
    const before = 'You are a judge.\nScore 1-5.\n{{transcript}}\nBe strict.';
    const after = 'You are an expert judge.\n{{transcript}}\nScore 1-5.\nQuote evidence.';
    const d = lineDiff(before, after);
    expect(
      d
        .filter((l) => l.kind !== 'added')
        .map((l) => l.text)
        .join('\n'),
    ).toBe(before);
    expect(
      d
        .filter((l) => l.kind !== 'removed')
        .map((l) => l.text)
        .join('\n'),
    ).toBe(after);
    expect(d.filter((l) => l.kind === 'same')).toHaveLength(1); // the two swapped lines: only one can stay
  });

  it('finds no change in equal texts', () => {
    expect(lineDiff('x\ny', 'x\ny').every((l) => l.kind === 'same')).toBe(true);
  });
});
