import type { Kysely } from 'kysely';

// A warm start compares every file's size and mtime with the index's (issue 20 point 7). Read
// from the table, that visits every row, search text and diagnostics included (hundreds of MB at
// 100,000 scenarios); this index holds just the three columns, so the comparison reads only it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('scenario_file_stamp_idx')
    .on('scenario')
    .columns(['rel_path', 'mtime_ms', 'size_bytes'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('scenario_file_stamp_idx').execute();
}
