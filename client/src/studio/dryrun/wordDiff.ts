// A word-level diff of two texts, to mark where two dry-runs' answers part ways. Longest common
// subsequence over words (whitespace kept with the word before it), the classic dynamic programme
// (Hunt & McIlroy 1976 describe the LCS basis of diff). Quadratic, so long texts are refused
// instead of freezing the page: two 3,000-word answers are 9 million cells, about 40 ms.

export type DiffPiece = { text: string; same: boolean };

/** Most words on either side that will be compared. */
export const MAX_DIFF_WORDS = 3000;

/** Words with their trailing whitespace, so joining the pieces gives back the text exactly. */
export function splitWords(text: string): string[] {
  return text.match(/\s+|\S+\s*/g) ?? [];
}

/**
 * Each side's text in pieces, marked same (in the common subsequence) or not; null when either
 * side is longer than MAX_DIFF_WORDS. Words compare without their trailing whitespace, so a
 * reflowed line is not a change.
 */
export function wordDiff(left: string, right: string): { left: DiffPiece[]; right: DiffPiece[] } | null {
  const a = splitWords(left);
  const b = splitWords(right);
  if (a.length > MAX_DIFF_WORDS || b.length > MAX_DIFF_WORDS) return null;
  const ka = a.map((w) => w.trimEnd());
  const kb = b.map((w) => w.trimEnd());
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: the LCS length of a[i..] and b[j..], row-major in one typed array.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        ka[i] === kb[j]
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const sameA = new Array<boolean>(n).fill(false);
  const sameB = new Array<boolean>(m).fill(false);
  for (let i = 0, j = 0; i < n && j < m;) {
    if (ka[i] === kb[j]) {
      sameA[i++] = true;
      sameB[j++] = true;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) i++;
    else j++;
  }
  return { left: merge(a, sameA), right: merge(b, sameB) };
}

/** Runs of words with the same mark, as one piece each. */
function merge(words: string[], same: boolean[]): DiffPiece[] {
  const pieces: DiffPiece[] = [];
  words.forEach((w, i) => {
    const last = pieces[pieces.length - 1];
    if (last && last.same === same[i]) last.text += w;
    else pieces.push({ text: w, same: same[i]! });
  });
  return pieces;
}

/** The share of words (0-1) on the two sides that are not in common; 0 for two empty texts. */
export function changedShare(diff: { left: DiffPiece[]; right: DiffPiece[] }): number {
  const count = (pieces: DiffPiece[], same: boolean) =>
    pieces.filter((p) => p.same === same).reduce((n, p) => n + splitWords(p.text).length, 0);
  const changed = count(diff.left, false) + count(diff.right, false);
  const total = changed + count(diff.left, true) + count(diff.right, true);
  return total === 0 ? 0 : changed / total;
}
