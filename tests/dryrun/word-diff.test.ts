import { describe, expect, it } from 'vitest';
import { changedShare, MAX_DIFF_WORDS, splitWords, wordDiff } from '../../client/src/studio/dryrun/wordDiff.ts';

// The compare dialog's word diff: every piece of each text is kept, in order, and marked by
// whether it is in the longest common subsequence of words.

const join = (pieces: { text: string }[]) => pieces.map((p) => p.text).join('');

describe('word diff of two answers', () => {
  it('marks the words only one side has, and gives back each text exactly', () => {
    const left = 'I cannot drop the retention line, but I can make slide 4 clearer.';
    const right = 'Sure, I will drop the retention line and make slide 4 pop.';
    const diff = wordDiff(left, right)!;
    expect(join(diff.left)).toBe(left);
    expect(join(diff.right)).toBe(right);
    // "I" is common to both ("Sure, I will" / "I cannot"): only "cannot" differs there.
    expect(diff.left.filter((p) => !p.same).map((p) => p.text.trim())).toEqual([
      'cannot',
      'line, but I can',
      'clearer.',
    ]);
    expect(diff.right.filter((p) => !p.same).map((p) => p.text.trim())).toEqual(['Sure,', 'will', 'line and', 'pop.']);
  });

  it('is the textbook LCS: ABCBDAB against BDCABA has 4 words in common (Cormen et al., 3rd ed., fig. 15.8)', () => {
    const diff = wordDiff('A B C B D A B', 'B D C A B A')!;
    const common = (pieces: { text: string; same: boolean }[]) =>
      pieces.filter((p) => p.same).flatMap((p) => splitWords(p.text).map((w) => w.trim()));
    expect(common(diff.left)).toHaveLength(4);
    expect(common(diff.left)).toEqual(common(diff.right));
  });

  it('ignores reflowed whitespace, counts the changed share, and refuses texts too long to compare', () => {
    const same = wordDiff('one two\nthree', 'one  two three')!;
    expect(same.left.every((p) => p.same)).toBe(true);
    expect(changedShare(same)).toBe(0);
    expect(changedShare(wordDiff('a b c d', 'a b x y')!)).toBe(0.5);
    expect(changedShare(wordDiff('', '')!)).toBe(0);
    expect(wordDiff('w '.repeat(MAX_DIFF_WORDS + 1), 'w')).toBeNull();
  });
});
