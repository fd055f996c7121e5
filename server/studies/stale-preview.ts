import type { Db } from '../db/database.ts';
import { seesSameView, type RatedVersion } from './rated-version.ts';

export interface StaleRatingsPreview {
  /** Realism ratings current now that the save would make stale. */
  ratings: number;
  studies: { id: string; name: string; ratings: number }[];
}

/**
 * What a save would do to realism ratings, before it is made: the ratings current on the indexed
 * version whose rater would see something else in the new one (by rater view, see rated-version.ts).
 */
export async function ratingsMadeStaleBy(db: Db, scenarioId: string, next: RatedVersion): Promise<StaleRatingsPreview> {
  const now = await db
    .selectFrom('scenario')
    .select(['content_hash', 'rater_view_hash'])
    .where('id', '=', scenarioId)
    .executeTakeFirst();
  if (!now) return { ratings: 0, studies: [] };
  const rows = await db
    .selectFrom('realism_rating as r')
    .innerJoin('study as st', 'st.id', 'r.study_id')
    .select(['r.study_id', 'st.name', 'r.content_hash', 'r.rater_view_hash'])
    .where('r.scenario_id', '=', scenarioId)
    .execute();
  const byStudy = new Map<string, { id: string; name: string; ratings: number }>();
  for (const r of rows) {
    if (!seesSameView(now, r) || seesSameView(next, r)) continue;
    const entry = byStudy.get(r.study_id) ?? { id: r.study_id, name: r.name, ratings: 0 };
    entry.ratings++;
    byStudy.set(r.study_id, entry);
  }
  const studies = [...byStudy.values()].sort((a, b) => b.ratings - a.ratings || a.name.localeCompare(b.name));
  return { ratings: studies.reduce((s, x) => s + x.ratings, 0), studies };
}
