import { join } from 'node:path';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { ScenarioCorpus } from '../server/scenarios/scenario.corpus.ts';
import { generateCorpus } from './generate-corpus.ts';
import { fmt } from './support.ts';

/**
 * A generated corpus of `count` scenario files in `dir`/scenarios, indexed into a migrated SQLite
 * database at `dir`/crucible.sqlite: what a bench that measures a server on an indexed corpus
 * starts from. Returns the server environment that points at both.
 */
export async function indexedCorpus(dir: string, count: number) {
  const scenariosDir = join(dir, 'scenarios');
  const dbPath = join(dir, 'crucible.sqlite');
  console.log(`generating ${count} scenario files...`);
  generateCorpus(scenariosDir, count);
  const db = openDatabase(dbPath);
  await migrateToLatest(db);
  const cold = await new ScenarioCorpus(db, scenariosDir).indexAll();
  await db.destroy();
  console.log(`indexed ${cold.files} files beforehand in ${fmt(cold.ms)}`);
  return { CRUCIBLE_DB: dbPath, CRUCIBLE_SCENARIOS: scenariosDir };
}
