import { describe, expect, it } from 'vitest';
import {
  estimatedJaccard,
  exactJaccard,
  minHashSignature,
  NearDuplicateIndex,
  shingleHashes,
  signatureOfText,
  wordsOf,
} from '../../server/generation/near-duplicates.ts';
import { seededRandom } from '../../server/stats/bootstrap.ts';

// Sets of integers with a chosen overlap: the exact Jaccard is known by construction and checked.
function pairWithJaccard(size: number, jaccard: number, offset: number): [Set<number>, Set<number>] {
  // |A ∩ B| = s, |A| = |B| = size: J = s / (2 size - s), so s = 2 size J / (1 + J).
  const shared = Math.round((2 * size * jaccard) / (1 + jaccard));
  const a = new Set<number>();
  const b = new Set<number>();
  for (let i = 0; i < shared; i++) {
    a.add(offset + i);
    b.add(offset + i);
  }
  for (let i = shared; i < size; i++) {
    a.add(offset + i);
    b.add(offset + 1_000_000 + i);
  }
  return [a, b];
}

const random = seededRandom(18);
const vocabulary = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
const essay = (n: number) =>
  Array.from({ length: n }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(' ');

describe('MinHash Jaccard estimate', () => {
  it('is within 3 standard errors of the exact Jaccard on sets of known overlap, and unbiased on average', () => {
    const errors: number[] = [];
    for (const j of [0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 1]) {
      for (let rep = 0; rep < 8; rep++) {
        const [a, b] = pairWithJaccard(300, j, rep * 10_000_000 + Math.round(j * 1000) * 10_000);
        const exact = exactJaccard(a, b);
        expect(Math.abs(exact - j)).toBeLessThan(0.01);
        const estimate = estimatedJaccard(minHashSignature(a), minHashSignature(b));
        // standard error sqrt(J (1 - J) / 128), at most 0.044
        expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(3 * Math.sqrt((exact * (1 - exact)) / 128) + 1e-9);
        errors.push(estimate - exact);
      }
    }
    const meanError = errors.reduce((s, e) => s + e, 0) / errors.length;
    expect(Math.abs(meanError)).toBeLessThan(0.015);
  });

  it('estimates the shingled texts of a scenario and its lightly edited copy against their exact shingle Jaccard', () => {
    const original = essay(400);
    const words = original.split(' ');
    for (let i = 0; i < words.length; i += 25) words[i] = 'changed';
    const edited = words.join(' ');
    const exact = exactJaccard(shingleHashes(original), shingleHashes(edited));
    const estimate = estimatedJaccard(signatureOfText(original), signatureOfText(edited));
    expect(exact).toBeGreaterThan(0.6);
    expect(exact).toBeLessThan(0.95);
    expect(Math.abs(estimate - exact)).toBeLessThan(0.13);
  });

  it('ignores case, punctuation and spacing', () => {
    expect(wordsOf('Refund  the ORDER, now!')).toEqual(['refund', 'the', 'order', 'now']);
    expect(
      estimatedJaccard(
        signatureOfText('Refund the order now, please.'),
        signatureOfText('refund the   order now please'),
      ),
    ).toBe(1);
  });
});

describe('NearDuplicateIndex', () => {
  it('finds the nearest indexed text among 2,000, with its similarity, and nothing for an unrelated text', () => {
    const index = new NearDuplicateIndex();
    const texts = Array.from({ length: 2000 }, () => essay(150));
    texts.forEach((t, i) => index.addText(`s${i}`, t));
    const copy = texts[1234]!.split(' ');
    for (let i = 0; i < copy.length; i += 30) copy[i] = 'reworded';
    const found = index.nearest(signatureOfText(copy.join(' ')));
    expect(found?.id).toBe('s1234');
    expect(found!.similarity).toBeGreaterThan(0.6);
    const unrelated = index.nearest(signatureOfText(essay(150)));
    expect(unrelated === null || unrelated.similarity < 0.1).toBe(true);
  });

  it('can leave the query itself out', () => {
    const index = new NearDuplicateIndex();
    const text = essay(100);
    const sig = index.addText('self', text);
    index.addText('other', `${text} and a few more words at the end`);
    expect(index.nearest(sig)?.id).toBe('self');
    expect(index.nearest(sig, 'self')?.id).toBe('other');
  });
});
