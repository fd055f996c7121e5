// Near-duplicate detection for generated scenarios: word-shingle MinHash signatures, banded
// locality-sensitive hashing to find candidate pairs without comparing against every scenario, and
// the signatures' Jaccard estimate to rank them. A generator asked for many scenarios on one
// behaviour tends to repeat itself (and the corpus); exact-match checks miss a reworded copy.

/** Words per shingle: three keeps a reworded sentence from matching while a copied paragraph does. */
export const SHINGLE_WORDS = 3;
/** Hash functions per signature: the Jaccard estimate's standard error is at most 0.5 / sqrt(128) = 0.044. */
export const SIGNATURE_SIZE = 128;
/** Rows per LSH band. With 32 bands of 4 rows, a pair at Jaccard 0.5 is a candidate with probability 0.87, at 0.3 with 0.23. */
const BAND_ROWS = 4;
const BANDS = SIGNATURE_SIZE / BAND_ROWS;
/** The default Jaccard estimate at which a candidate is a near-duplicate (shown in the studio). */
export const DEFAULT_DUPLICATE_THRESHOLD = 0.5;

/** One seed per hash function, fixed so that signatures are comparable across processes and restarts. */
const SEEDS: Uint32Array = (() => {
  const seeds = new Uint32Array(SIGNATURE_SIZE);
  let x = 0x9e3779b9;
  for (let i = 0; i < SIGNATURE_SIZE; i++) {
    x = (x + 0x6d2b79f5) >>> 0;
    seeds[i] = mix32(x);
  }
  return seeds;
})();

/** MurmurHash3's 32-bit finaliser: a cheap, well-mixed permutation of 32-bit integers. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over a string's UTF-16 code units. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Lower-case words (letters and digits, any script); punctuation and spacing never make two texts differ. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The set of a text's shingles, each hashed to 32 bits. A text shorter than a shingle is one shingle. */
export function shingleHashes(text: string, width = SHINGLE_WORDS): Set<number> {
  const words = wordsOf(text);
  const out = new Set<number>();
  if (words.length === 0) return out;
  if (words.length < width) {
    out.add(hashString(words.join(' ')));
    return out;
  }
  for (let i = 0; i + width <= words.length; i++) {
    let h = 0x811c9dc5;
    for (let j = 0; j < width; j++) h = Math.imul(h ^ hashString(words[i + j]!), 0x01000193);
    out.add(h >>> 0);
  }
  return out;
}

/** The MinHash signature of a set of shingle hashes: per hash function, the least hashed value. */
export function minHashSignature(shingles: Iterable<number>): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  for (const x of shingles) {
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      const v = mix32((x ^ SEEDS[i]!) >>> 0);
      if (v < sig[i]!) sig[i] = v;
    }
  }
  return sig;
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

export function signatureOfText(text: string): Uint32Array {
  return minHashSignature(shingleHashes(text));
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
