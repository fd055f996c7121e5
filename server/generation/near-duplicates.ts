// Near-duplicate detection for generated scenarios: word-shingle MinHash signatures, banded
// locality-sensitive hashing to find candidate pairs without comparing against every scenario, and
// the signatures' Jaccard estimate to rank them. A generator asked for many scenarios on one
// behaviour tends to repeat itself (and the corpus); exact-match checks miss a reworded copy.

/** Words per shingle: three keeps a reworded sentence from matching while a copied paragraph does. */
export const SHINGLE_WORDS = 3;
/**
 * Bins per signature (one-permutation MinHash: each shingle is hashed once and kept only if it is
 * the least in its bin, so a signature costs one hash per shingle instead of one per shingle and
 * bin; empty bins are filled by optimal densification, Shrivastava 2017). The Jaccard estimate's
 * standard error is about sqrt(J (1 - J) / 128), at most 0.044.
 */
export const SIGNATURE_SIZE = 128;
const BIN_BITS = 7;
const VALUE_MASK = (1 << (32 - BIN_BITS)) - 1;
const EMPTY = 0xffffffff;
/** Rows per LSH band. With 32 bands of 4 rows, a pair at Jaccard 0.5 is a candidate with probability 0.87, at 0.3 with 0.23. */
const BAND_ROWS = 4;
const BANDS = SIGNATURE_SIZE / BAND_ROWS;
/** The default Jaccard estimate at which a candidate is a near-duplicate (shown in the studio). */
export const DEFAULT_DUPLICATE_THRESHOLD = 0.5;

/** MurmurHash3's 32-bit finaliser: a cheap, well-mixed permutation of 32-bit integers. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A letter or digit, for splitting words: ASCII ones, and any code unit past Latin-1's symbols except general punctuation. */
function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    (c >= 0xc0 && (c < 0x2000 || c > 0x206f) && c !== 0xd7 && c !== 0xf7)
  );
}

/** Lower-case words (letters and digits); punctuation and spacing never make two texts differ. */
export function wordsOf(text: string): string[] {
  const words: string[] = [];
  const lower = text.toLowerCase();
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const inWord = i < lower.length && isWordChar(lower.charCodeAt(i));
    if (inWord && start < 0) start = i;
    else if (!inWord && start >= 0) {
      words.push(lower.slice(start, i));
      start = -1;
    }
  }
  return words;
}

/**
 * Calls `each` with the hash of every shingle of the text (repeats included), in one pass over its
 * characters with no strings made: FNV-1a per word, then the words of each shingle combined. A text
 * shorter than a shingle is one shingle.
 */
function forEachShingle(text: string, width: number, each: (hash: number) => void): void {
  const lower = text.toLowerCase();
  const recent = new Uint32Array(width);
  let count = 0;
  let h = 0x811c9dc5;
  let inWord = false;
  const endWord = () => {
    recent[count % width] = h >>> 0;
    count++;
    if (count >= width) each(combine(recent, count, width));
    h = 0x811c9dc5;
    inWord = false;
  };
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (isWordChar(c)) {
      h = Math.imul(h ^ c, 0x01000193);
      inWord = true;
    } else if (inWord) endWord();
  }
  if (inWord) endWord();
  if (count > 0 && count < width) each(combine(recent, count, count));
}

/** The hash of the last `n` words seen (in order), from the ring of recent word hashes. */
function combine(recent: Uint32Array, count: number, n: number): number {
  let h = 0x811c9dc5;
  const width = recent.length;
  for (let j = count - n; j < count; j++) h = Math.imul(h ^ recent[j % width]!, 0x01000193);
  return h >>> 0;
}

/** The set of a text's shingles, each hashed to 32 bits. */
export function shingleHashes(text: string, width = SHINGLE_WORDS): Set<number> {
  const out = new Set<number>();
  forEachShingle(text, width, (x) => out.add(x));
  return out;
}

/** The MinHash signature of a set of shingle hashes: per bin, the least hashed value of the shingles that fall in it. */
export function minHashSignature(shingles: Iterable<number>): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(EMPTY);
  for (const x of shingles) {
    const h = mix32(x);
    const bin = h >>> (32 - BIN_BITS);
    const value = h & VALUE_MASK;
    if (value < sig[bin]!) sig[bin] = value;
  }
  densify(sig);
  return sig;
}

/**
 * Optimal densification: an empty bin takes the value of the first non-empty bin on its own
 * fixed pseudo-random probe sequence, so two signatures fill a bin from the same place and the
 * estimate stays unbiased. A signature with every bin empty (no words) stays empty.
 */
function densify(sig: Uint32Array): void {
  let empty = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (sig[i] === EMPTY) empty++;
  if (empty === 0 || empty === SIGNATURE_SIZE) return;
  const filled = sig.slice();
  for (let i = 0; i < SIGNATURE_SIZE; i++) {
    if (filled[i] !== EMPTY) continue;
    for (let attempt = 1; ; attempt++) {
      const from = mix32(Math.imul(i + 1, 0x9e3779b1) ^ attempt) >>> (32 - BIN_BITS);
      if (filled[from] !== EMPTY) {
        sig[i] = filled[from]!;
        break;
      }
    }
  }
}

/** The Jaccard similarity estimate of two signatures: the share of hash functions whose minima agree. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a[i] === b[i]) same++;
  return same / SIGNATURE_SIZE;
}

/** The exact Jaccard similarity of two sets (the reference the estimate is tested against). */
export function exactJaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return both / (a.size + b.size - both);
}

/** The signature of a text's shingles, computed as they are read (a repeated shingle changes no minimum). */
export function signatureOfText(text: string): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(EMPTY);
  forEachShingle(text, SHINGLE_WORDS, (x) => {
    const h = mix32(x);
    const bin = h >>> (32 - BIN_BITS);
    const value = h & VALUE_MASK;
    if (value < sig[bin]!) sig[bin] = value;
  });
  densify(sig);
  return sig;
}

/** The nearest indexed text to a query, with its estimated Jaccard similarity. */
export interface NearestMatch {
  id: string;
  similarity: number;
}

/**
 * An LSH index of signatures. `nearest` looks only at texts that share a band with the query, so a
 * query costs about the same against ten scenarios or ten thousand.
 */
export class NearDuplicateIndex {
  private readonly ids: string[] = [];
  private readonly signatures: Uint32Array[] = [];
  private readonly bands: Map<number, number[]>[] = Array.from({ length: BANDS }, () => new Map());

  get size(): number {
    return this.ids.length;
  }

  add(id: string, signature: Uint32Array): void {
    const at = this.ids.length;
    this.ids.push(id);
    this.signatures.push(signature);
    for (let band = 0; band < BANDS; band++) {
      const key = bandKey(signature, band);
      const bucket = this.bands[band]!.get(key);
      if (bucket) bucket.push(at);
      else this.bands[band]!.set(key, [at]);
    }
  }

  addText(id: string, text: string): Uint32Array {
    const signature = signatureOfText(text);
    this.add(id, signature);
    return signature;
  }

  /** The most similar indexed text among the LSH candidates (ties: the earliest added), or null when none shares a band. */
  nearest(signature: Uint32Array, exceptId?: string): NearestMatch | null {
    let best = -1;
    let bestSimilarity = -1;
    const seen = new Set<number>();
    for (let band = 0; band < BANDS; band++) {
      const bucket = this.bands[band]!.get(bandKey(signature, band));
      if (!bucket) continue;
      for (const at of bucket) {
        if (seen.has(at)) continue;
        seen.add(at);
        if (exceptId !== undefined && this.ids[at] === exceptId) continue;
        const similarity = estimatedJaccard(signature, this.signatures[at]!);
        if (similarity > bestSimilarity || (similarity === bestSimilarity && at < best)) {
          best = at;
          bestSimilarity = similarity;
        }
      }
    }
    return best < 0 ? null : { id: this.ids[best]!, similarity: bestSimilarity };
  }
}

function bandKey(signature: Uint32Array, band: number): number {
  let h = 0x811c9dc5;
  const start = band * BAND_ROWS;
  for (let r = 0; r < BAND_ROWS; r++) h = Math.imul(h ^ signature[start + r]!, 0x01000193);
  return h >>> 0;
}
