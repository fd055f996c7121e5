import type { AnnotationStudyRow } from '../annotation/annotation.tables.ts';
import { storedScenario } from '../annotation/stored-scenario.ts';
import type { Db } from '../db/database.ts';
import { computeCalibration, type CalibrationItem, type MetricsWithCi } from './calibration-metrics.ts';

// External scores (the verdicts of Bloom's, Petri's or an Inspect scorer's judge on imported
// transcripts) measured as one more judge: against the study's annotators with exactly the
// metrics a Crucible judge gets, against the study's Crucible judge version (its verdict in the
// humans' place), and the Crucible judge against the same annotators on the same transcripts, so
// the two can be read side by side. External scores are compared on the alignment scale (see
// transcript.plan.ts alignmentOf) and pass at 4, Crucible's pass; they tick no criteria, so the
// criterion F1s are undefined.

export const EXTERNAL_PASS_THRESHOLD = 4;

export interface ExternalScorerAgreement {
  scorer: string;
  direction: string;
  scale: { min: number; max: number } | null;
  /** Annotated transcripts of the study this scorer scored. */
  transcripts: number;
  vsHumans: MetricsWithCi;
  /** The study's judge version in the humans' place; null when it judged none of these transcripts. */
  vsJudge: { transcripts: number; metrics: MetricsWithCi } | null;
  /** The study's judge version against the annotators on the transcripts this scorer scored (like for like). */
  judgeVsHumans: { transcripts: number; metrics: MetricsWithCi } | null;
}

interface Annotated {
  id: string;
  category: string;
  behavior: string;
  humans: CalibrationItem['humans'];
}

/** Agreement of every external scorer on the study's annotated transcripts, most transcripts first. */
export async function externalAgreement(
  db: Db,
  study: AnnotationStudyRow,
  judgeThreshold: number,
): Promise<ExternalScorerAgreement[]> {
  // The scores first: most studies have none, and the page asks on every visit.
  const scores = await db
    .selectFrom('external_score as e')
    .innerJoin('annotation_item as i', 'i.transcript_id', 'e.transcript_id')
    .select(['e.transcript_id', 'e.scorer', 'e.alignment', 'e.direction', 'e.scale_min', 'e.scale_max'])
    .where('i.study_id', '=', study.id)
    .where('e.alignment', 'is not', null)
    .orderBy('e.transcript_id') // the bootstrap draws by position: one order, whatever the query plan
    .execute();
  if (scores.length === 0) return [];
  const annotated = await annotatedTranscripts(db, study.id, [...new Set(scores.map((s) => s.transcript_id))]);
  if (annotated.length === 0) return [];
  const ids = annotated.map((a) => a.id);
  const verdicts = new Map(
    (
      await inChunks(ids, (chunk) =>
        db
          .selectFrom('judgement')
          .select(['transcript_id', 'score', 'created_at'])
          .where('judge_version_id', '=', study.judge_version_id)
          .where('status', '=', 'scored')
          .where('transcript_id', 'in', chunk)
          .orderBy('created_at')
          .execute(),
      )
    ).map((j) => [j.transcript_id, j.score!]), // the latest verdict of a transcript wins
  );
  const rules = { humanThreshold: study.human_pass_threshold, consensus: study.consensus };
  const byScorer = new Map<string, typeof scores>();
  for (const s of scores) byScorer.set(s.scorer, [...(byScorer.get(s.scorer) ?? []), s]);
  const byId = new Map(annotated.map((a) => [a.id, a]));
  const out: ExternalScorerAgreement[] = [];
  for (const [scorer, rows] of byScorer) {
    const items: CalibrationItem[] = rows.flatMap((r) => {
      const a = byId.get(r.transcript_id);
      if (!a) return []; // a scored transcript of the study nobody has annotated yet
      return [{ ...a, judge: { score: r.alignment!, passMet: [], failMet: [] }, passCriteria: 0, failCriteria: 0 }];
    });
    const withVerdict = items.filter((i) => verdicts.has(i.id));
    const asHumans = withVerdict.map((i) => ({
      ...i,
      humans: [{ score: verdicts.get(i.id)!, passMet: [], failMet: [] }],
    }));
    const asJudge = withVerdict.map((i) => ({ ...i, judge: { score: verdicts.get(i.id)!, passMet: [], failMet: [] } }));
    out.push({
      scorer,
      direction: rows[0]!.direction,
      scale:
        rows[0]!.scale_min === null || rows[0]!.scale_max === null
          ? null
          : { min: rows[0]!.scale_min, max: rows[0]!.scale_max },
      transcripts: items.length,
      vsHumans: computeCalibration(items, { ...rules, judgeThreshold: EXTERNAL_PASS_THRESHOLD }).overall,
      vsJudge: withVerdict.length
        ? {
            transcripts: withVerdict.length,
            metrics: computeCalibration(asHumans, {
              judgeThreshold: EXTERNAL_PASS_THRESHOLD,
              humanThreshold: judgeThreshold,
              consensus: study.consensus,
            }).overall,
          }
        : null,
      judgeVsHumans: withVerdict.length
        ? {
            transcripts: withVerdict.length,
            metrics: computeCalibration(asJudge, { ...rules, judgeThreshold }).overall,
          }
        : null,
    });
  }
  return out.sort((a, b) => b.transcripts - a.transcripts || a.scorer.localeCompare(b.scorer));
}

/** Those of `ids` with at least one annotation in the study, with their annotators' scores. */
async function annotatedTranscripts(db: Db, studyId: string, ids: string[]): Promise<Annotated[]> {
  const annotations = await inChunks(ids, (chunk) =>
    db
      .selectFrom('annotation')
      .select(['transcript_id', 'score', 'created_at'])
      .where('study_id', '=', studyId)
      .where('transcript_id', 'in', chunk)
      .execute(),
  );
  annotations.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
  // Each transcript's scenario once (not once per annotation: a text of a few kilobytes each).
  const scenarios = new Map(
    (
      await inChunks([...new Set(annotations.map((a) => a.transcript_id))], (chunk) =>
        db.selectFrom('dry_run').select(['id', 'scenario_content']).where('id', 'in', chunk).execute(),
      )
    ).map((d) => [d.id, storedScenario(d.scenario_content)]),
  );
  const byId = new Map<string, Annotated>();
  for (const a of annotations) {
    let entry = byId.get(a.transcript_id);
    if (!entry) {
      const s = scenarios.get(a.transcript_id)!;
      entry = { id: a.transcript_id, category: s.category, behavior: s.behavior, humans: [] };
      byId.set(a.transcript_id, entry);
    }
    (entry.humans as { score: number; passMet: number[]; failMet: number[] }[]).push({
      score: a.score,
      passMet: [],
      failMet: [],
    });
  }
  return [...byId.values()];
}

/** A query over ids in chunks of 500 (SQLite's variable limit). */
async function inChunks<T>(ids: string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await query(ids.slice(i, i + 500))));
  return out;
}

/** The external scorers with scores on the alignment scale, and how many transcripts each scored. */
export async function externalScorers(db: Db): Promise<{ scorer: string; transcripts: number }[]> {
  const rows = await db
    .selectFrom('external_score')
    .select('scorer')
    .select((eb) => eb.fn.countAll<number>().as('transcripts'))
    .where('alignment', 'is not', null)
    .groupBy('scorer')
    .orderBy('scorer')
    .execute();
  return rows.map((r) => ({ scorer: r.scorer, transcripts: Number(r.transcripts) }));
}
