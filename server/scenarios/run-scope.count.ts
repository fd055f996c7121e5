import type { z } from 'zod';
import type { RunScopeCount, RunScopeQuerySchema } from '../../schema/api/scenarios.ts';
import type { Db } from '../db/database.ts';
import { validatedScenarioIds } from '../studies/validated.ts';

/**
 * How many scenarios and variants a run with this filter would cover, selected as a run selects
 * them (server/runs/run.repository.ts): no errors (a duplicate id is one), not retired, `ready`
 * only for that scope, validated only for the default scope. Counted in SQL over two small
 * columns, so the new-run dialog needs no list of scenarios at all.
 */
export async function countRunScope(db: Db, filter: z.output<typeof RunScopeQuerySchema>): Promise<RunScopeCount> {
  const rows = await db
    .selectFrom('scenario')
    .select(['id', 'variant_count'])
    .where('error_count', '=', 0)
    .where('status', '!=', 'retired')
    .$if(filter.scope === 'ready', (qb) => qb.where('status', '=', 'ready'))
    .$if(filter.category !== undefined, (qb) => qb.where('category', '=', filter.category!))
    .$if(filter.behavior !== undefined, (qb) => qb.where('behavior', '=', filter.behavior!))
    .where((eb) =>
      eb('id', 'not in', eb.selectFrom('scenario as d').select('d.id').groupBy('d.id').having(eb.fn.countAll(), '>', 1)),
    )
    .execute();
  const validated = filter.scope === 'validated' ? await validatedScenarioIds(db) : null;
  let scenarios = 0;
  let variants = 0;
  for (const row of rows) {
    if (validated && !validated.has(row.id)) continue;
    scenarios += 1;
    variants += Number(row.variant_count);
  }
  return { scenarios, variants };
}
