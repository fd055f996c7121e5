import { REALISM_SCALE, type RealismFlagSchema, type StudyResults } from '../../schema/api/studies.ts';
import type { Db } from '../db/database.ts';
import { seesSameView } from './rated-version.ts';
import { bootstrapCi } from '../stats/bootstrap.ts';
import { krippendorffAlpha } from '../stats/krippendorff.ts';
import { countItems, summaryOfStudy, type StudyRow } from './study.repository.ts';
import type { z } from 'zod';

type Flag = z.infer<typeof RealismFlagSchema>;

interface RatingRow {
  scenario_id: string;
  content_hash: string;
  rater_view_hash: string | null;
  category: string;
  behavior: string;
  realism: number;
  flags: string;
  comment: string;
  rater_id: string;
  pseudonym: string;
  name: string;
  leased_at: string;
  created_at: string;
}

/** Bootstrap over scenarios: 1,000 resamples, a fixed seed, so the interval is reproducible. */
const BOOTSTRAP = { resamples: 1000, seed: 20261127 };
/** Fewest scenarios rated by two or more raters for an interval of alpha. */
export const MIN_UNITS_FOR_CI = 5;

/**
 * A study's results. A rating counts when it was made on the scenario version that is current
 * (a scenario missing from the index keeps its ratings: there is nothing newer). Raters who failed
 * more attention checks than allowed are flagged, and their ratings left out when asked.
 */
export async function computeRealismResults(
  db: Db,
  study: StudyRow,
  /** `revealNames`: an admin asks; everyone else sees raters by pseudonym only. */
  opts: { excludeFlaggedRaters: boolean; withCi?: boolean; revealNames?: boolean },
): Promise<StudyResults> {
  // In scenario order on both backends (SQLite read them in its key's order; PostgreSQL has no order of its own).
  const items = await db
    .selectFrom('study_item')
    .selectAll()
    .where('study_id', '=', study.id)
    .orderBy('scenario_id')
    .execute();
  const index = new Map(
    (
      await db
        .selectFrom('scenario')
        .select(['id', 'content_hash', 'rater_view_hash', 'title', 'category', 'behavior'])
        .where('id', 'in', items.length ? items.map((i) => i.scenario_id) : [''])
        .execute()
    ).map((s) => [s.id, s]),
  );
  const all: RatingRow[] = await db
    .selectFrom('realism_rating as r')
    .innerJoin('user as u', 'u.id', 'r.rater_id')
    .select([
      'r.scenario_id',
      'r.content_hash',
      'r.rater_view_hash',
      'r.category',
      'r.behavior',
      'r.realism',
      'r.flags',
      'r.comment',
      'r.rater_id',
      'r.leased_at',
      'r.created_at',
      'u.pseudonym',
      'u.name',
    ])
    .where('r.study_id', '=', study.id)
    .orderBy('r.created_at')
    .execute();
  const isCurrent = (r: RatingRow) => {
    const s = index.get(r.scenario_id);
    return !s || seesSameView(s, r);
  };
  const gold = new Map(
    items
      .filter((i) => i.gold_min !== null && i.gold_max !== null)
      .map((i) => [i.scenario_id, { min: i.gold_min!, max: i.gold_max! }]),
  );

  // Attention checks, on current ratings of gold scenarios.
  const raters = new Map<
    string,
    {
      pseudonym: string;
      name: string | null;
      ratings: number;
      attentionChecks: number;
      attentionFailures: number;
      secondsOnTask: number[];
    }
  >();
  for (const r of all) {
    const entry = raters.get(r.rater_id) ?? {
      pseudonym: r.pseudonym,
      name: opts.revealNames ? r.name : null,
      ratings: 0,
      attentionChecks: 0,
      attentionFailures: 0,
      secondsOnTask: [],
    };
    entry.ratings++;
    // From the task's lease to the rating: time on the task, including any time away from it.
    const seconds = (Date.parse(r.created_at) - Date.parse(r.leased_at)) / 1000;
    if (Number.isFinite(seconds) && seconds >= 0) entry.secondsOnTask.push(seconds);
    const g = gold.get(r.scenario_id);
    if (g && isCurrent(r)) {
      entry.attentionChecks++;
      if (r.realism < g.min || r.realism > g.max) entry.attentionFailures++;
    }
    raters.set(r.rater_id, entry);
  }
  const flaggedRater = (id: string) => (raters.get(id)?.attentionFailures ?? 0) > study.max_attention_failures;
  const counted = all.filter((r) => isCurrent(r) && !(opts.excludeFlaggedRaters && flaggedRater(r.rater_id)));

  const byScenario = new Map<string, RatingRow[]>();
  for (const r of counted) byScenario.set(r.scenario_id, [...(byScenario.get(r.scenario_id) ?? []), r]);

  const scenarios = items.map((item) => {
    const rows = byScenario.get(item.scenario_id) ?? [];
    const values = rows.map((r) => r.realism).sort((a, b) => a - b);
    const n = values.length;
    const mean = n ? values.reduce((s, v) => s + v, 0) / n : null;
    const flags: Record<string, number> = {};
    for (const r of rows) for (const f of JSON.parse(r.flags) as Flag[]) flags[f.kind] = (flags[f.kind] ?? 0) + 1;
    const meta = index.get(item.scenario_id);
    const firstRating = all.find((r) => r.scenario_id === item.scenario_id);
    return {
      scenarioId: item.scenario_id,
      category: meta?.category ?? firstRating?.category ?? '',
      behavior: meta?.behavior ?? firstRating?.behavior ?? '',
      title: meta?.title ?? item.scenario_id,
      n,
      mean,
      median: median(values),
      distribution: [1, 2, 3, 4, 5].map((v) => values.filter((x) => x === v).length),
      flags,
      comments: rows
        .filter((r) => r.comment.trim() !== '' || (JSON.parse(r.flags) as Flag[]).length > 0)
        .map((r) => ({
          pseudonym: r.pseudonym,
          realism: r.realism,
          comment: r.comment,
          flags: JSON.parse(r.flags) as Flag[],
        })),
      stale: all.filter((r) => r.scenario_id === item.scenario_id && !isCurrent(r)).length,
      validated: n >= study.min_ratings && mean !== null && mean >= study.min_mean,
      gold: gold.get(item.scenario_id) ?? null,
    };
  });

  // Agreement among raters: ordinal alpha over scenarios, overall and per category. Gold
  // (attention-check) scenarios are left out: they are chosen to be obvious, and raters agreeing
  // on them would inflate alpha. Their pass rate is reported apart.
  const units = scenarios
    .filter((s) => !gold.has(s.scenarioId))
    .map((s) => ({
      category: s.category,
      values: (byScenario.get(s.scenarioId) ?? []).map((r) => r.realism),
    }));
  const goldRatings = counted.filter((r) => gold.has(r.scenario_id));
  const goldPassed = goldRatings.filter((r) => {
    const g = gold.get(r.scenario_id)!;
    return r.realism >= g.min && r.realism <= g.max;
  }).length;
  const alphaOf = (us: typeof units) =>
    krippendorffAlpha(
      us.map((u) => u.values),
      'ordinal',
    );
  const pairable = (us: typeof units) => us.filter((u) => u.values.length >= 2).length;
  const ciOf = (us: typeof units) => {
    // Below the minimum a bootstrap interval is degenerate (two items give [-0.5, 0.83]), not informative.
    if (opts.withCi === false || pairable(us) < MIN_UNITS_FOR_CI) return null;
    const ci = bootstrapCi(us, (sample) => alphaOf([...sample]), BOOTSTRAP);
    return ci ? { low: ci.low, high: ci.high } : null;
  };
  const byCategory: StudyResults['alpha']['byCategory'] = {};
  for (const category of [...new Set(units.map((u) => u.category))].sort()) {
    const us = units.filter((u) => u.category === category);
    byCategory[category] = { alpha: alphaOf(us), ci: ciOf(us), units: pairable(us) };
  }

  return {
    study: {
      ...summaryOfStudy(study, {
        items: await countItems(db, study.id),
        ratings: counted.length,
        validated: scenarios.filter((s) => s.validated).length,
      }),
      instructions: study.instructions,
      anchors: JSON.parse(study.anchors) as StudyResults['study']['anchors'],
      maxAttentionFailures: study.max_attention_failures,
      completionCode: study.completion_code,
      completionUrl: study.completion_url,
      maxSkips: study.max_skips,
      requirePlatformIds: study.require_platform_ids === 1,
    },
    excludeFlaggedRaters: opts.excludeFlaggedRaters,
    scale: { ...REALISM_SCALE },
    alpha: { overall: alphaOf(units), ci: ciOf(units), units: pairable(units), minUnits: MIN_UNITS_FOR_CI, byCategory },
    gold: {
      scenarios: gold.size,
      ratings: goldRatings.length,
      passed: goldPassed,
      rate: goldRatings.length ? goldPassed / goldRatings.length : null,
    },
    scenarios,
    raters: [...raters.entries()].map(([id, { secondsOnTask, ...r }]) => ({
      ...r,
      medianSecondsOnTask: median(secondsOnTask),
      flagged: flaggedRater(id),
    })),
  };
}

/** The middle value (mean of the two middle ones for an even count); null for none. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
