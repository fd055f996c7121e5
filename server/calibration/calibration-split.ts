import { seededRandom } from '../stats/bootstrap.ts';

// The held-out split of an annotation study. A few-shot candidate may take its examples only from
// the "learn" part and is scored only on the "held-out" part: scored on the transcripts its
// examples came from, its agreement would be inflated by construction.
//
// Stratified by category x judge-score band (the band of the judge that sampled the study), so
// both parts cover the same mix; seeded, so the same study always splits the same way. Within each
// stratum the transcripts are shuffled (seeded Fisher-Yates over ids in sorted order) and the
// first ones go to "learn"; how many is rounded on the running total, so the overall share stays
// at `learnShare` even when every stratum is small.

export type CalibrationPart = 'learn' | 'heldout';

export interface SplitItem {
  transcriptId: string;
  category: string;
  stratum: string;
}

export function calibrationSplit(
  items: readonly SplitItem[],
  seed: number,
  learnShare: number,
): Map<string, CalibrationPart> {
  const strata = new Map<string, string[]>();
  for (const item of items) {
    const key = `${item.category}\u0000${item.stratum}`;
    strata.set(key, [...(strata.get(key) ?? []), item.transcriptId]);
  }
  const random = seededRandom(seed);
  const parts = new Map<string, CalibrationPart>();
  let seen = 0;
  let learnt = 0;
  for (const key of [...strata.keys()].sort()) {
    const ids = strata.get(key)!.sort();
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    seen += ids.length;
    const learnHere = Math.round(seen * learnShare) - learnt;
    learnt += learnHere;
    ids.forEach((id, i) => parts.set(id, i < learnHere ? 'learn' : 'heldout'));
  }
  return parts;
}
