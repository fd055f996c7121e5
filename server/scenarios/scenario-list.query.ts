// The scenario browser's query, answered in SQL (issue 20 point 7): the filters are WHERE
// clauses, the facet counts one GROUP BY over an index that holds every facet column, and a
// page is read in order off an index, so neither the rows outside the page nor the whole
// match list are ever fetched or sorted here.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { z } from 'zod';
import type { ScenarioListQuerySchema, ScenarioListResponse, ScenarioSummary } from '../../schema/api/scenarios.ts';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import type { Database, Db } from '../db/database.ts';
import { containsWord } from '../db/sql-contains.ts';
import { findSearchMatch } from './search-match.ts';
import { cachedCombos, type FacetCombo } from './scenario-list.cache.ts';
import { currentDocFacets, keepDocFacets } from './search-doc-facets.ts';
import { findSearchDocs } from './search-word.repository.ts';
import type { ScenarioRow } from './scenario.table.ts';

type ListQuery = z.output<typeof ScenarioListQuerySchema>;
type Facet = 'category' | 'behavior' | 'status' | 'difficulty';
const FACETS: Facet[] = ['category', 'behavior', 'status', 'difficulty'];
type Eb = ExpressionBuilder<Database, 'scenario'>;

const SUMMARY_COLUMNS = [
  'rel_path',
  'id',
  'title',
  'category',
  'behavior',
  'difficulty',
  'status',
  'summary',
  'turn_count',
  'tool_count',
  'error_count',
  'warning_count',
  'content_hash',
  'variant_count',
] as const;

export interface ListOptions {
  taxonomy?: Pick<Taxonomy, 'categories'>;
  validatedIds?: ReadonlySet<string>;
}

/**
 * Filters, words, facet counts (each with every filter but its own), duplicates counted as errors,
 * in the taxonomy's order (as the sidebar lists categories and behaviours; unknown ids after them).
 */
export async function listScenarios(db: Db, query: ListQuery, opts: ListOptions = {}): Promise<ScenarioListResponse> {
  const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  keepDocFacets(db); // for the searches that follow a list

  // One aggregate over the filters that are not facets gives every facet count, the total and
  // the size of each (category, behaviour) group, which is what paging in taxonomy order needs;
  // kept per search until the index changes (scenario-list.cache.ts).
  const key = JSON.stringify([words, query.problems ?? '', query.validated ? [...(opts.validatedIds ?? [])].sort() : null]);
  const { combos } = await cachedCombos(db, key, () => countMatches(db, query, words, opts.validatedIds));
  const where = (eb: Eb) => eb.and(nonFacetConditions(eb, query, words, opts.validatedIds));

  const facets = { category: {}, behavior: {}, status: {}, difficulty: {} } as ScenarioListResponse['facets'];
  const groups = new Map<string, { category: string; behavior: string; n: number; docs?: number[] }>();
  for (const combo of combos) {
    const n = combo.n;
    for (const facet of FACETS) {
      if (matchesFacets(combo, query, facet)) facets[facet][combo[facet]] = (facets[facet][combo[facet]] ?? 0) + n;
    }
    if (!matchesFacets(combo, query)) continue;
    const key = `${combo.category}\u0000${combo.behavior}`;
    const group = groups.get(key) ?? { category: combo.category, behavior: combo.behavior, n: 0 };
    group.n += n;
    if (combo.docs) group.docs = (group.docs ?? []).concat(combo.docs);
    groups.set(key, group);
  }
  const rank = taxonomyRank(opts.taxonomy);
  const ordered = [...groups.values()].sort(
    (a, b) =>
      rank.category(a.category) - rank.category(b.category) ||
      cmp(a.category, b.category) ||
      rank.behavior(a.behavior) - rank.behavior(b.behavior) ||
      cmp(a.behavior, b.behavior),
  );
  const total = ordered.reduce((sum, g) => sum + g.n, 0);

  // The page: from each group it overlaps, the rows it needs, in (id, rel_path) order off the index.
  const rows = [];
  let start = 0;
  for (const group of ordered) {
    const end = start + group.n;
    const from = Math.max(query.offset, start);
    const to = Math.min(query.offset + query.limit, end);
    if (from < to) {
      // A search's matches the word index gave are read by their numbers; otherwise the group's
      // rows are read in order, each tested.
      const page = group.docs
        ? db.selectFrom('scenario').where('search_doc', 'in', group.docs)
        : db
            .selectFrom('scenario')
            .where('category', '=', group.category)
            .where('behavior', '=', group.behavior)
            .$if(query.status !== undefined, (qb) => qb.where('status', '=', query.status!))
            .$if(query.difficulty !== undefined, (qb) => qb.where('difficulty', '=', query.difficulty!))
            .where(where);
      rows.push(
        ...(await page
          .select(words.length > 0 ? [...SUMMARY_COLUMNS, 'search_text' as const] : SUMMARY_COLUMNS)
          .orderBy('id')
          .orderBy('rel_path')
          .limit(to - from)
          .offset(from - start)
          .execute()),
      );
    }
    start = end;
    if (start >= query.offset + query.limit) break;
  }

  const copies = await copiesOfIds(db, [...new Set(rows.map((r) => r.id))]);
  const items = rows.map((row) => {
    const summary = summaryOfRow(row, copies.get(row.id) ?? 1);
    const match = 'search_text' in row ? findSearchMatch(row.search_text as string, words) : null;
    return match ? { ...summary, match } : summary;
  });
  return { total, items, facets };
}

/**
 * Up to this many matches, a search keeps each facet combination's documents and reads its pages
 * by them; past it, matches are dense enough that reading a group in order and testing each row's
 * text fills a page soon.
 */
const PAGE_DOCS_MAX = 20_000;

/**
 * The facet combinations matching a search. Words are looked up in the word index (its documents
 * counted a chunk at a time, off the index on search_doc and the facets, never reading the text),
 * unless it cannot answer them: then every row's text is tested, as the index's words would be.
 */
async function countMatches(
  db: Db,
  query: ListQuery,
  words: string[],
  validatedIds?: ReadonlySet<string>,
): Promise<{ combos: FacetCombo[] }> {
  const search = words.length > 0 ? await findSearchDocs(db, words) : null;
  const count = (eb: Eb) => eb.and(nonFacetConditions(eb, query, search ? search.check : words, validatedIds));
  const counting = () =>
    db
      .selectFrom('scenario')
      .select(['category', 'behavior', 'status', 'difficulty', (eb) => eb.fn.countAll<number>().as('n')])
      .where(count)
      .groupBy(['category', 'behavior', 'status', 'difficulty']);
  const combos = new Map<string, FacetCombo>();
  const tally = (r: Omit<FacetCombo, 'n' | 'docs'>, n: number, doc?: number) => {
    const k = `${r.category}\u0000${r.behavior}\u0000${r.status}\u0000${r.difficulty}`;
    let combo = combos.get(k);
    if (!combo) {
      combo = { category: r.category, behavior: r.behavior, status: r.status, difficulty: r.difficulty, n: 0 };
      if (doc !== undefined) combo.docs = [];
      combos.set(k, combo);
    }
    combo.n += n;
    if (doc !== undefined) combo.docs!.push(doc);
  };
  const keepDocs = search !== null && search.docs.length <= PAGE_DOCS_MAX;
  // Words the index answered alone and no other condition: the kept facets of their documents.
  const facets = search && search.check.length === 0 && !query.problems && query.validated !== 'yes' ? currentDocFacets(db) : null;
  if (!search) for (const r of await counting().execute()) tally(r, Number(r.n));
  else if (facets && search.docs.every((d) => (facets.comboOfDoc[d] ?? -1) >= 0)) {
    for (const d of search.docs) tally(facets.combos[facets.comboOfDoc[d]!]!, 1, keepDocs ? d : undefined);
  } else {
    // The matches' facets are read off the index on (search_doc, facets), a chunk of numbers at a time.
    for (let i = 0; i < search.docs.length; i += 500) {
      const chunk = search.docs.slice(i, i + 500);
      if (!keepDocs) {
        for (const r of await counting().where('search_doc', 'in', chunk).execute()) tally(r, Number(r.n));
        continue;
      }
      const rows = await db
        .selectFrom('scenario')
        .select(['search_doc', 'category', 'behavior', 'status', 'difficulty'])
        .where(count)
        .where('search_doc', 'in', chunk)
        .execute();
      for (const r of rows) tally(r, 1, r.search_doc!);
    }
  }
  return { combos: [...combos.values()] };
}

/** The WHERE clauses of words, problems and validation (the facet filters are applied per group). */
function nonFacetConditions(eb: Eb, query: ListQuery, words: string[], validatedIds?: ReadonlySet<string>) {
  const conditions: Expression<SqlBool>[] = [];
  // LIKE treats % and _ as wildcards; a search for "50%" must find the literal text.
  for (const word of words) conditions.push(containsWord(sql.ref('search_text'), word));
  if (query.problems === 'errors') {
    // A duplicate id is an error of every file that has it.
    const duplicated = eb.selectFrom('scenario as d').select('d.id').groupBy('d.id').having(eb.fn.countAll(), '>', 1);
    conditions.push(eb.or([eb('error_count', '>', 0), eb('id', 'in', duplicated)]));
  }
  if (query.problems === 'warnings') conditions.push(eb('warning_count', '>', 0));
  if (query.validated === 'yes') {
    const ids = [...(validatedIds ?? [])];
    conditions.push(ids.length > 0 ? eb('id', 'in', ids) : sql<SqlBool>`1 = 0`);
  }
  return conditions;
}

function matchesFacets(row: Record<Facet, string>, query: ListQuery, except?: Facet): boolean {
  for (const facet of FACETS) if (facet !== except && query[facet] && row[facet] !== query[facet]) return false;
  return true;
}

/** How many index rows share each of these ids (more than one is a duplicate id on disk). */
async function copiesOfIds(db: Db, ids: string[]): Promise<Map<string, number>> {
  const copies = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('scenario')
      .select(['id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('id', 'in', ids.slice(i, i + 500))
      .groupBy('id')
      .execute();
    for (const r of rows) copies.set(r.id, Number(r.n));
  }
  return copies;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Positions of categories and behaviours in the taxonomy (unknown ones last); all equal without one. */
function taxonomyRank(taxonomy: Pick<Taxonomy, 'categories'> | undefined) {
  const categories = new Map(taxonomy?.categories.map((c, i) => [c.id, i]));
  const behaviours = new Map(taxonomy?.categories.flatMap((c) => c.behaviours.map((b) => b.id)).map((id, i) => [id, i]));
  return {
    category: (id: string) => categories.get(id) ?? Number.MAX_SAFE_INTEGER,
    behavior: (id: string) => behaviours.get(id) ?? Number.MAX_SAFE_INTEGER,
  };
}


export function summaryOfRow(
  row: Pick<ScenarioRow, 'id' | 'rel_path' | 'title' | 'category' | 'behavior' | 'difficulty' | 'status' | 'summary' | 'turn_count' | 'tool_count' | 'error_count' | 'warning_count' | 'content_hash' | 'variant_count'>,
  dupCount: number,
): ScenarioSummary {
  return {
    id: row.id,
    relPath: row.rel_path,
    title: row.title,
    category: row.category,
    behavior: row.behavior,
    difficulty: row.difficulty,
    status: row.status,
    summary: row.summary,
    turnCount: row.turn_count,
    variants: row.variant_count,
    toolCount: row.tool_count,
    errorCount: row.error_count + (dupCount > 1 ? 1 : 0),
    warningCount: row.warning_count,
    hash: row.content_hash,
    validated: false,
  };
}
