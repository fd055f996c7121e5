// The words of a search text, and what a search word asks of them (issue 20 point 7).
//
// A search matches the scenarios whose search text contains each search word as a substring
// (LIKE '%word%'). The word index keeps, for every word of the texts (a longest run of letters,
// marks and digits), the documents holding it. A search word made only of such characters lies
// inside one word of any text containing it, so the documents of the indexed words that contain it
// are exactly its matches. A search word with other characters ("don't", "50%", "v1.2") is split
// into its runs: a text containing it holds a word containing each run, which narrows the
// candidates, and the substring test is still made on those (`needsCheck`).

const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII_WORD[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0;
}
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

/** Whether the code point at `i` (a surrogate pair counts as one) is a word character, and its length. */
function wordCharAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return ASCII_WORD[c]!;
  const cp = text.codePointAt(i)!;
  const length = cp > 0xffff ? 2 : 1;
  return WORD_CHAR.test(String.fromCodePoint(cp)) ? length : -length;
}

/** The distinct words of a (lower-cased) text: its longest runs of letters, marks and digits. */
export function wordsOf(text: string): Set<string> {
  const words = new Set<string>();
  let start = -1;
  for (let i = 0; i < text.length; ) {
    const step = wordCharAt(text, i);
    if (step > 0) {
      if (start < 0) start = i;
      i += step;
    } else {
      if (start >= 0) words.add(text.slice(start, i));
      start = -1;
      i += step === 0 ? 1 : -step;
    }
  }
  if (start >= 0) words.add(text.slice(start));
  return words;
}

/** What a search word asks of the index: the runs every matching text holds inside a word. */
export interface SearchWordRuns {
  runs: string[];
  /** The runs do not decide the match alone: the substring test must be made on their documents. */
  needsCheck: boolean;
}

const DIGITS_ONLY = /^[0-9]+$/;

/**
 * Whether a word is made only of the digits 0-9. The vocabulary marks such words: a search word
 * part with any other character cannot lie inside one, so it is matched only against the others
 * (far fewer where ids and titles carry numbers).
 */
export function isDigitsOnly(word: string): boolean {
  return DIGITS_ONLY.test(word);
}

export function runsOfSearchWord(word: string): SearchWordRuns {
  const runs = [...wordsOf(word)];
  return { runs, needsCheck: !(runs.length === 1 && runs[0] === word) };
}

/** Document numbers are kept per block: a block's documents are its offsets, 0 to BLOCK_SIZE - 1. */
export const BLOCK_SIZE = 1024;
const CODES = Array.from({ length: BLOCK_SIZE }, (_, i) => i.toString(36).padStart(2, '0'));

/** Offsets of documents in a block, ascending, as the index stores them: two base-36 characters each. */
export function encodeOffsets(offsets: number[]): string {
  let out = '';
  for (const o of offsets) out += CODES[o];
  return out;
}

/**
 * The word index's postings of a batch of new rows, as a fresh block of it stores them: per word,
 * the encoded offsets of the texts holding it, a text's offset being its place in `texts`. Made
 * where the rows are read (on an index worker, for a cold index), so the thread that writes the
 * rows only stores them (search-word.repository.ts).
 */
export function blockPostingsOf(texts: string[]): Map<string, string> {
  if (texts.length > BLOCK_SIZE) throw new Error(`blockPostingsOf: ${texts.length} texts do not fit in one block`);
  const postings = new Map<string, string>();
  for (let i = 0; i < texts.length; i++) {
    for (const word of wordsOf(texts[i]!)) postings.set(word, (postings.get(word) ?? '') + CODES[i]);
  }
  return postings;
}

/** The document numbers of a stored block. */
export function decodeDocs(block: number, docs: string): number[] {
  const out: number[] = [];
  const base = block * BLOCK_SIZE;
  for (let i = 0; i < docs.length; i += 2) out.push(base + parseInt(docs.slice(i, i + 2), 36));
  return out;
}
