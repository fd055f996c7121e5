import { describe, expect, it } from 'vitest';
import {
  blockPostingsOf,
  decodeDocs,
  encodeOffsets,
  isDigitsOnly,
  runsOfSearchWord,
  wordsOf,
} from '../../server/scenarios/search-words.ts';

describe('the words of a search text', () => {
  it('are the longest runs of letters, marks and digits, split at everything else', () => {
    expect([...wordsOf('\u0001\u0002refund-policy 50% off,a_b\nline\u000ftwo')]).toEqual([
      'refund',
      'policy',
      '50',
      'off',
      'a',
      'b',
      'line',
      'two',
    ]);
  });

  it('keep combining marks, astral letters and digits of other scripts inside a word', () => {
    expect([...wordsOf('cafe\u0301 𝒳y 東京タワー ٣٤ naïve')]).toEqual([
      'cafe\u0301',
      '𝒳y',
      '東京タワー',
      '٣٤',
      'naïve',
    ]);
  });

  it('split at emoji and lone surrogates, which are no letters', () => {
    expect([...wordsOf('ab🙂cd\ud800ef')]).toEqual(['ab', 'cd', 'ef']);
  });

  it('are each listed once', () => {
    expect([...wordsOf('the the THE')]).toEqual(['the', 'THE']);
  });
});

describe('what a search word asks of the index', () => {
  it('decides alone for a word of letters and digits', () => {
    expect(runsOfSearchWord('refund')).toEqual({ runs: ['refund'], needsCheck: false });
    expect(runsOfSearchWord('東京')).toEqual({ runs: ['東京'], needsCheck: false });
  });

  it('narrows by its runs and needs the substring test for any other character', () => {
    expect(runsOfSearchWord("don't")).toEqual({ runs: ['don', 't'], needsCheck: true });
    expect(runsOfSearchWord('50%')).toEqual({ runs: ['50'], needsCheck: true });
    expect(runsOfSearchWord('%')).toEqual({ runs: [], needsCheck: true });
  });

  it('is matched against the words of digits 0-9 only when it is made of them alone', () => {
    // A run with any other character cannot lie inside such a word (the vocabulary's partial index).
    expect(['00123', '7', '000'].every(isDigitsOnly)).toBe(true);
    expect(['v1', '1a', '٣٤', '１２', 'refund', ''].some(isDigitsOnly)).toBe(false);
  });
});

describe('a block of documents as stored', () => {
  it('reads back the documents it was written with, at the block’s numbers', () => {
    const offsets = [0, 1, 35, 36, 500, 1023];
    const stored = encodeOffsets(offsets);
    expect(stored).toHaveLength(12);
    expect(decodeDocs(3, stored)).toEqual(offsets.map((o) => 3 * 1024 + o));
  });

  it('is made for a batch of new texts with each text at its place in the batch', () => {
    const postings = blockPostingsOf(['refund policy', 'no policy, no refund refund', 'other']);
    expect(postings).toEqual(
      new Map([
        ['refund', encodeOffsets([0, 1])],
        ['policy', encodeOffsets([0, 1])],
        ['no', encodeOffsets([1])],
        ['other', encodeOffsets([2])],
      ]),
    );
    expect(() => blockPostingsOf(Array.from({ length: 1025 }, () => 'x'))).toThrow(/one block/);
  });
});
