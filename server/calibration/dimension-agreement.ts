import type { JudgeDimension } from '../../schema/judge.ts';
import type { Db } from '../db/database.ts';
import { quadraticWeightedKappa } from '../stats/agreement.ts';
import { pearson, spearman } from '../stats/correlation.ts';
import { consensusScore, type ConsensusRule } from './calibration-metrics.ts';

// Judge-human agreement on the dimensions an annotation study asked its annotators to rate
// besides alignment (whose full report is calibration-metrics.ts). The same consensus rules: the
// mean of the annotators' scores for correlations, error and bias; for the quadratic-weighted
// kappa the study's categorical consensus (majority, a tie left out; or the mean rounded half to
// even), over the dimension's own scale.

export interface DimensionAgreementItem {
  judge: number;
  humans: number[];
}

export interface DimensionAgreement {
  id: string;
  scale: { min: number; max: number };
  direction: JudgeDimension['direction'];
  /** Transcripts with the judge's score and at least one annotator's. */
  n: number;
  /** Transcripts left out of the kappa because the annotators split. */
  splits: number;
  humanMean: number | null;
  judgeMean: number | null;
  pearson: number | null;
  spearman: number | null;
  mae: number | null;
  within1: number | null;
  /** Judge mean minus human mean. */
  bias: number | null;
  qwk: number | null;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

export function dimensionAgreement(
  dimension: JudgeDimension,
  items: readonly DimensionAgreementItem[],
  rule: ConsensusRule,
): DimensionAgreement {
  const used = items.filter((i) => i.humans.length > 0);
  const judge = used.map((i) => i.judge);
  const human = used.map((i) => mean(i.humans));
  const consensus = used.map((i) => consensusScore(i.humans, rule));
  const decided = used.map((i, k) => ({ judge: i.judge, human: consensus[k] })).filter((x) => x.human !== null);
  const n = used.length;
  const errors = used.map((_, k) => judge[k]! - human[k]!);
  return {
    id: dimension.id,
    scale: dimension.scale,
    direction: dimension.direction,
    n,
    splits: n - decided.length,
    humanMean: n ? mean(human) : null,
    judgeMean: n ? mean(judge) : null,
    pearson: n >= 2 ? pearson(judge, human) : null,
    spearman: n >= 2 ? spearman(judge, human) : null,
    mae: n ? mean(errors.map(Math.abs)) : null,
    within1: n ? errors.filter((e) => Math.abs(e) <= 1).length / n : null,
    bias: n ? mean(errors) : null,
    qwk: decided.length
      ? quadraticWeightedKappa(
          decided.map((x) => x.human!),
          decided.map((x) => x.judge),
          dimension.scale.min,
          dimension.scale.max,
        )
      : null,
  };
}

/** Agreement on each dimension the study asked for, under one judge version (verdicts without the dimension are left out). */
export async function loadDimensionAgreement(
  db: Db,
  studyId: string,
  judgeVersionId: string,
): Promise<DimensionAgreement[] | null> {
  const study = await db
    .selectFrom('annotation_study')
    .select(['dimensions', 'consensus'])
    .where('id', '=', studyId)
    .executeTakeFirst();
  if (!study) return null;
  const asked = JSON.parse(study.dimensions) as JudgeDimension[];
  if (asked.length === 0) return []; // most studies: nothing to read
  const verdicts = await db
    .selectFrom('annotation_item as i')
    .innerJoin('judgement as j', (join) =>
      join.onRef('j.transcript_id', '=', 'i.transcript_id').on('j.judge_version_id', '=', judgeVersionId),
    )
    .select(['i.transcript_id', 'j.dimensions'])
    .where('i.study_id', '=', studyId)
    .where('j.status', '=', 'scored')
    .execute();
  const annotations = await db
    .selectFrom('annotation')
    .select(['transcript_id', 'dimensions'])
    .where('study_id', '=', studyId)
    .execute();
  // Each transcript's annotators' dimension scores, parsed once.
  const byTranscript = new Map<string, Record<string, number>[]>();
  for (const a of annotations) {
    const scores = JSON.parse(a.dimensions) as Record<string, number>;
    const list = byTranscript.get(a.transcript_id);
    if (list) list.push(scores);
    else byTranscript.set(a.transcript_id, [scores]);
  }
  const judged = verdicts.map((v) => ({
    transcriptId: v.transcript_id,
    scores: JSON.parse(v.dimensions) as { id: string; score: number }[],
  }));
  return asked.map((d) => {
    const items: DimensionAgreementItem[] = [];
    for (const v of judged) {
      const judge = v.scores.find((x) => x.id === d.id)?.score;
      if (judge === undefined) continue;
      const humans = (byTranscript.get(v.transcriptId) ?? [])
        .map((scores) => scores[d.id])
        .filter((x): x is number => typeof x === 'number');
      items.push({ judge, humans });
    }
    return dimensionAgreement(d, items, study.consensus);
  });
}
