import type { Db } from '../db/database.ts';
import { validatedScenarioIds } from '../studies/validated.ts';
import type { ReleasedScenario } from './release.scenarios.ts';

// Realism per released scenario: the current ratings (of its text, or of the same rater view,
// as everywhere in Crucible) over all studies: how many, their mean, the 1-5 histogram, and
// whether it meets a study's acceptance rule.

export interface ScenarioRealism {
  id: string;
  contentHash: string;
  ratings: number;
  mean: number | null;
  /** Ratings of 1..5. */
  histogram: [number, number, number, number, number];
  validated: boolean;
}

export async function realismOf(db: Db, scenarios: readonly ReleasedScenario[]): Promise<ScenarioRealism[]> {
  const rows = await db
    .selectFrom('realism_rating as r')
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
    .select(['r.scenario_id', 'r.realism'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy(['r.scenario_id', 'r.realism'])
    .execute();
  const validated = await validatedScenarioIds(db);
  const histograms = new Map<string, [number, number, number, number, number]>();
  for (const r of rows) {
    const h = histograms.get(r.scenario_id) ?? [0, 0, 0, 0, 0];
    if (r.realism >= 1 && r.realism <= 5) h[r.realism - 1] = h[r.realism - 1]! + Number(r.n);
    histograms.set(r.scenario_id, h);
  }
  return scenarios.map((s) => {
    const histogram = histograms.get(s.id) ?? [0, 0, 0, 0, 0];
    const ratings = histogram.reduce((a, b) => a + b, 0);
    const sum = histogram.reduce((a, n, i) => a + n * (i + 1), 0);
    return {
      id: s.id,
      contentHash: s.contentHash,
      ratings,
      mean: ratings ? Math.round((sum / ratings) * 1000) / 1000 : null,
      histogram,
      validated: validated.has(s.id),
    };
  });
}
