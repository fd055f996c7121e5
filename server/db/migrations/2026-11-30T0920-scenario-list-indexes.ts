import type { Kysely } from 'kysely';

// The scenario list filters, counts and pages in SQL (issue 20 point 7). Two indexes serve it:
// - the facet counts group every row by (category, behavior, status, difficulty) and filter on the
//   problem counts and duplicate ids: this index holds all of those, so counting reads the index, never the rows;
// - a page of one behaviour is read in (id, rel_path) order straight off the second index, so a
//   page costs its own rows, not a sort of every match (status and difficulty follow in the index:
//   those filters skip rows without reading them).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('scenario_list_facets_idx')
    .on('scenario')
    .columns(['category', 'behavior', 'status', 'difficulty', 'error_count', 'warning_count', 'id'])
    .execute();
  await db.schema
    .createIndex('scenario_list_order_idx')
    .on('scenario')
    .columns(['category', 'behavior', 'id', 'rel_path', 'status', 'difficulty'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('scenario_list_order_idx').execute();
  await db.schema.dropIndex('scenario_list_facets_idx').execute();
}
