import type { Db } from '../db/database.ts';

/**
 * Scenarios that meet the acceptance rule of at least one study on their current rater view: at least
 * `min_ratings` current ratings with a mean of at least `min_mean`. Shown as validated everywhere.
 */
export async function validatedScenarioIds(db: Db): Promise<Set<string>> {
  const rows = await db
    .selectFrom('realism_rating as r')
    .innerJoin('study as st', 'st.id', 'r.study_id')
    // Current: the rated text, or the same rater view (see rated-version.ts).
    .innerJoin('scenario as s', (join) =>
      join
        .onRef('s.id', '=', 'r.scenario_id')
        .on((eb) =>
          eb.or([
            eb('s.content_hash', '=', eb.ref('r.content_hash')),
            eb('s.rater_view_hash', '=', eb.ref('r.rater_view_hash')),
          ]),
        ),
    )
    .select(['r.scenario_id', 'st.min_ratings', 'st.min_mean'])
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.avg<number>('r.realism').as('mean')])
    .groupBy(['r.study_id', 'r.scenario_id', 'st.min_ratings', 'st.min_mean'])
    .execute();
  return new Set(
    rows.filter((r) => Number(r.n) >= r.min_ratings && Number(r.mean) >= r.min_mean).map((r) => r.scenario_id),
  );
}
