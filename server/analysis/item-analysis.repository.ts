import type { ItemAnalysis, ItemAnalysisRow } from '../../schema/api/analysis.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import type { Db } from '../db/database.ts';
import { fitTwoPl, type BinomialCell } from '../stats/irt-2pl.ts';
import { analyseGroupedItems, groupScores, ITEM_FLAG_RULES, type ItemObservation } from '../stats/item-analysis.ts';

// Item analysis of the corpus from every run judged by one judge version: each scenario is an
// item, each model a respondent, each judged transcript (a repeat, in any run) an observation.

const IRT_MODEL = '2PL pass/fail, joint maximum likelihood' as const;

/** A judged transcript; its `item` is the scenario id. */
interface JudgedTranscript extends ItemObservation {
  runId: string;
  transcriptId: string;
}

/**
 * The judge's scored transcripts over all runs, once each (a cached run item shares its transcript
 * with the run that made it), on the scenario's current version (an edited scenario is a new item:
 * transcripts of the older text are counted as stale and left out).
 */
export async function judgedTranscripts(
  db: Db,
  judgeId: string,
  current: Map<string, { content_hash: string }>,
): Promise<{ transcripts: JudgedTranscript[]; stale: number }> {
  // Two sequential scans joined here: a join in SQL looks each run item's verdict up by a random
  // UUID, which on 300,000 transcripts costs seconds of page reads where the scans take a fraction.
  const scores = new Map(
    (
      await db
        .selectFrom('judgement')
        .select(['transcript_id', 'score'])
        .where('judge_version_id', '=', judgeId)
        .where('status', '=', 'scored')
        .where('score', 'is not', null)
        .execute()
    ).map((j) => [j.transcript_id, j.score!]),
  );
  if (!scores.size) return { transcripts: [], stale: 0 };
  const rows = await db
    .selectFrom('run_item')
    // Category and behaviour are read per scenario afterwards, not 300,000 times here.
    .select(['run_id', 'dry_run_id', 'model', 'scenario_id', 'content_hash'])
    .where('status', '=', 'done')
    .where('dry_run_id', 'is not', null)
    .execute();
  const transcripts: JudgedTranscript[] = [];
  let stale = 0;
  for (const r of rows) {
    const score = r.dry_run_id ? scores.get(r.dry_run_id) : undefined;
    if (score === undefined) continue;
    // Taken: a cached run item sharing this transcript finds no score left and is skipped.
    scores.delete(r.dry_run_id!);
    const scenario = current.get(r.scenario_id);
    if (scenario && scenario.content_hash !== r.content_hash) {
      stale++;
      continue;
    }
    transcripts.push({
      runId: r.run_id,
      transcriptId: r.dry_run_id!,
      model: r.model,
      item: r.scenario_id,
      score,
    });
  }
  return { transcripts, stale };
}

/** The indexed scenarios and the judge's scored transcripts of their current versions, read once. */
export interface JudgedRead {
  scenarios: Map<string, { id: string; title: string; category: string; behavior: string; content_hash: string }>;
  transcripts: JudgedTranscript[];
  stale: number;
}

/** Reads what the item analysis and the anchor subset both start from (pass it to both to read it once). */
export async function readJudged(db: Db, judgeId: string): Promise<JudgedRead> {
  const scenarios = new Map(
    (await db.selectFrom('scenario').select(['id', 'title', 'category', 'behavior', 'content_hash']).execute()).map(
      (s) => [s.id, s],
    ),
  );
  return { scenarios, ...(await judgedTranscripts(db, judgeId, scenarios)) };
}

/** Mean realism of each scenario's current version, over every study's ratings. */
async function realismByScenario(db: Db): Promise<Map<string, { mean: number; ratings: number }>> {
  const rows = await db
    .selectFrom('realism_rating as r')
    .innerJoin('scenario as s', (join) =>
      join.onRef('s.id', '=', 'r.scenario_id').onRef('s.content_hash', '=', 'r.content_hash'),
    )
    .select([
      'r.scenario_id',
      (eb) => eb.fn.avg<number>('r.realism').as('mean'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .groupBy('r.scenario_id')
    .execute();
  return new Map(rows.map((r) => [r.scenario_id, { mean: Number(r.mean), ratings: Number(r.n) }]));
}

/**
 * Judge-human agreement per scenario: each annotated transcript's human mean against this judge's
 * score of it; the error is absolute, the pass/fail agreement at the benchmark's pass score.
 */
async function agreementByScenario(
  db: Db,
  judgeId: string,
  analysed: readonly JudgedTranscript[],
): Promise<Map<string, { transcripts: number; mae: number; passAgreement: number }>> {
  const rows = await db
    .selectFrom('annotation as a')
    .innerJoin('judgement as j', 'j.transcript_id', 'a.transcript_id')
    .select(['a.transcript_id', 'j.score as judge_score', (eb) => eb.fn.avg<number>('a.score').as('human')])
    .where('j.judge_version_id', '=', judgeId)
    .where('j.status', '=', 'scored')
    .groupBy(['a.transcript_id', 'j.score'])
    .execute();
  if (!rows.length) return new Map();
  // Only transcripts in the analysis count; each knows its scenario.
  const scenarioOf = new Map(analysed.map((t) => [t.transcriptId, t.item]));
  const pass = ITEM_FLAG_RULES.passScore;
  const acc = new Map<string, { n: number; err: number; agree: number }>();
  for (const r of rows) {
    const scenario = scenarioOf.get(r.transcript_id);
    if (!scenario || r.judge_score === null) continue;
    const human = Number(r.human);
    const a = acc.get(scenario) ?? { n: 0, err: 0, agree: 0 };
    a.n++;
    a.err += Math.abs(human - r.judge_score);
    if (human >= pass === r.judge_score >= pass) a.agree++;
    acc.set(scenario, a);
  }
  return new Map([...acc].map(([s, a]) => [s, { transcripts: a.n, mae: a.err / a.n, passAgreement: a.agree / a.n }]));
}

/** The item analysis of every scenario run under `judge` (no judge: an empty analysis). */
export async function itemAnalysis(db: Db, judge: JudgeVersion | null, read?: JudgedRead): Promise<ItemAnalysis> {
  const empty: ItemAnalysis = {
    judge: judge && { id: judge.id, name: judge.name, version: judge.version },
    models: [],
    runs: 0,
    transcripts: 0,
    staleTranscripts: 0,
    rules: { ...ITEM_FLAG_RULES },
    irt: { model: IRT_MODEL, fitted: false, reason: 'no judged runs', converged: false, iterations: 0, abilities: [] },
    items: [],
  };
  if (!judge) return empty;
  const { scenarios, transcripts, stale } = read ?? (await readJudged(db, judge.id));
  if (!transcripts.length) return { ...empty, staleTranscripts: stale };

  const byItem = groupScores(transcripts);
  const stats = analyseGroupedItems(byItem);
  const models = [...new Set(transcripts.map((t) => t.model))].sort();
  const irt = fitItemResponse(
    byItem,
    models,
    stats.map((s) => s.item),
  );
  const [realism, agreement] = await Promise.all([
    realismByScenario(db),
    agreementByScenario(db, judge.id, transcripts),
  ]);
  // Where each scenario sits: from the index, or (a scenario since deleted) from its run items.
  const missing = stats.map((x) => x.item).filter((id) => !scenarios.has(id));
  const placeOf = new Map(
    missing.length
      ? (
          await db
            .selectFrom('run_item')
            .select(['scenario_id', 'category', 'behavior'])
            .where('scenario_id', 'in', missing)
            .groupBy(['scenario_id', 'category', 'behavior'])
            .execute()
        ).map((r) => [r.scenario_id, r])
      : [],
  );
  const items: ItemAnalysisRow[] = stats.map((s, j) => {
    const indexed = scenarios.get(s.item);
    const place = placeOf.get(s.item);
    return {
      scenarioId: s.item,
      title: indexed?.title ?? null,
      category: indexed?.category ?? place?.category ?? '',
      behavior: indexed?.behavior ?? place?.behavior ?? '',
      models: s.models,
      transcripts: s.observations,
      mean: s.mean,
      passRate: s.passRate,
      modelsPassing: s.modelsPassing,
      itemRest: s.itemRest,
      repeatSd: s.repeatSd,
      reliability: s.reliability,
      irt: irt.fit ? { discrimination: irt.fit.a[j]!, difficulty: irt.fit.b[j]!, bounded: irt.fit.bounded[j]! } : null,
      realism: realism.get(s.item) ?? null,
      agreement: agreement.get(s.item) ?? null,
      flags: s.flags,
    };
  });
  return {
    ...empty,
    models,
    runs: new Set(transcripts.map((t) => t.runId)).size,
    transcripts: transcripts.length,
    staleTranscripts: stale,
    irt: {
      model: IRT_MODEL,
      fitted: irt.fit !== null,
      reason: irt.reason,
      converged: irt.fit?.converged ?? false,
      iterations: irt.fit?.iterations ?? 0,
      abilities: irt.fit ? models.map((model, i) => ({ model, theta: irt.fit!.theta[i]! })) : [],
    },
    items,
  };
}

/** Fits the 2PL over every model and item: repeats are binomial trials of the pass outcome. */
function fitItemResponse(byItem: Map<string, Map<string, number[]>>, models: string[], items: string[]) {
  if (models.length < ITEM_FLAG_RULES.minModels)
    return { fit: null, reason: `needs at least ${ITEM_FLAG_RULES.minModels} models (has ${models.length})` };
  if (items.length < 2) return { fit: null, reason: `needs at least 2 scenarios (has ${items.length})` };
  const person = new Map(models.map((m, i) => [m, i]));
  const cells: BinomialCell[] = [];
  items.forEach((id, item) => {
    for (const [model, scores] of byItem.get(id)!) {
      const passes = scores.filter((x) => x >= ITEM_FLAG_RULES.passScore).length;
      cells.push({ person: person.get(model)!, item, passes, trials: scores.length });
    }
  });
  return { fit: fitTwoPl(cells, models.length, items.length), reason: null };
}
