// The scenario list's counts per search, kept until the index changes (issue 20 point 7).
//
// Facet counts and group sizes depend only on the words, the problems filter and the validated
// set (the facet filters are applied to them in memory), and the index changes only through
// upsertScenarioRows/deleteScenarioRows in this process. So a count computed once answers every
// later list with the same search, whatever its facet filters or page, until the next index write.

/** The counts of one (category, behaviour, status, difficulty) combination. */
export interface FacetCombo {
  category: string;
  behavior: string;
  status: string;
  difficulty: string;
  n: number;
  /** A search's matches in this combination, by document number, when the word index gave few enough. */
  docs?: number[];
}

const MAX_ENTRIES = 200;

/** Per database: its kept counts (with what the search found, for its pages), and a generation that every index write moves on. */
const caches = new WeakMap<object, { generation: number; combos: Map<string, unknown> }>();

function cacheOf(db: object) {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = { generation: 0, combos: new Map() }));
  return cache;
}

/** The kept combinations for this key, or computes them and keeps them. */
export async function cachedCombos<T extends { combos: FacetCombo[] }>(
  db: object,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  const cache = cacheOf(db);
  const hit = cache.combos.get(key) as T | undefined;
  if (hit) return hit;
  const generation = cache.generation;
  const combos = await compute();
  // Counted while the index was being written: right for this answer, maybe not for the next.
  if (cache.generation !== generation) return combos;
  // Oldest first out: a Map iterates in insertion order.
  if (cache.combos.size >= MAX_ENTRIES) cache.combos.delete(cache.combos.keys().next().value!);
  cache.combos.set(key, combos);
  return combos;
}

/** How many times this database's index was written through this process: what was read at one generation holds while it lasts. */
export function listGeneration(db: object): number {
  return cacheOf(db).generation;
}

/** Forgets every kept count of this database: called after every write to the scenario index. */
export function forgetListCounts(db: object): void {
  const cache = cacheOf(db);
  cache.generation += 1;
  cache.combos.clear();
}
