// Issue 20 point 7: the scenario list at 100,000 scenarios, filtered and paged in SQL.
//   Targets: every filtered list p95 <= 50 ms, and the first page of the unfiltered list (the
//   studio's default view) p95 <= 50 ms; a response never holds the whole list.
//   Each line also shows the first request of its search: it counts the facets over the index
//   (for words, the documents the word index gives: server/scenarios/search-word.repository.ts),
//   which the server then keeps until the next index write. The first request of a text search is
//   gated too (issue 20 point 7: <= 50 ms).
// Run: npx tsx bench/scenario-list.bench.ts [count]   (default 100,000; exits 3 on a missed target)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexedCorpus } from './indexed-corpus.ts';
import { becomeFirstAdmin, fmt, percentile, recordFigure, startServerProcess, stopServerProcess } from './support.ts';

const COUNT = Number(process.argv[2] ?? 100_000);
const SAMPLES = 30;
const PAGE = 100;
const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-list-'));
try {
  const { url, child, adminLink } = await startServerProcess(await indexedCorpus(dir, COUNT));
  try {
    const admin = await becomeFirstAdmin(url, adminLink!);
    const measure = async (query: string) => {
      const samples: number[] = [];
      let body = { total: 0, items: [] as unknown[] };
      let bytes = 0;
      for (let i = 0; i < SAMPLES; i++) {
        const t = performance.now();
        const res = await fetch(`${url}/api/scenarios${query}`, { headers: { cookie: admin.cookie } });
        const text = await res.text();
        samples.push(performance.now() - t);
        if (!res.ok) throw new Error(`GET /api/scenarios${query}: ${res.status} ${text.slice(0, 200)}`);
        bytes = text.length;
        body = JSON.parse(text) as typeof body;
      }
      // The first request of a search counts it (then kept until the index changes): shown apart.
      const first = samples[0]!;
      const p50 = percentile(samples, 50);
      const p95 = percentile(samples, 95);
      console.log(
        `GET /api/scenarios${query.padEnd(56)} total ${String(body.total).padStart(6)}  ${String(body.items.length).padStart(4)} items  ${(bytes / 1024).toFixed(0).padStart(5)} KB  first ${fmt(first)}  p50 ${fmt(p50)}  p95 ${fmt(p95)}`,
      );
      return { p95, first, body };
    };

    const unfiltered = await measure(`?limit=${PAGE}`);
    if (unfiltered.body.total !== COUNT || unfiltered.body.items.length !== PAGE) {
      throw new Error(`unfiltered list: expected ${COUNT} in total and ${PAGE} items`);
    }
    const deep = await measure(`?limit=${PAGE}&offset=${COUNT - 2 * PAGE}`);
    const filtered: [string, string][] = [
      ['one behaviour', `?behavior=privacy-protection&limit=${PAGE}`],
      ['category + status', `?category=scheming&status=ready&limit=${PAGE}`],
      ['difficulty', `?difficulty=high&limit=${PAGE}`],
      ['files with errors', `?problems=errors&limit=${PAGE}`],
      ['text search', `?q=refund&limit=${PAGE}`],
      ['two words + difficulty', `?q=deck%20investor&difficulty=high&limit=${PAGE}`],
      ['search, no match', `?q=zzzzqqq&limit=${PAGE}`],
    ];
    let worst = 0;
    let worstName = '';
    let worstFirstSearch = 0;
    for (const [name, query] of filtered) {
      const { p95, first } = await measure(query);
      if (p95 > worst) [worst, worstName] = [p95, name];
      if (query.includes('q=')) worstFirstSearch = Math.max(worstFirstSearch, first);
    }
    recordFigure(`unfiltered list, first page of ${PAGE}, p95 at ${COUNT}`, unfiltered.p95, { atMost: 50, unit: 'ms' });
    recordFigure(`unfiltered list, a page near the end, p95 at ${COUNT}`, deep.p95, { atMost: 50, unit: 'ms' });
    recordFigure(`filtered list, p95 of the worst filter (${worstName}) at ${COUNT}`, worst, {
      atMost: 50,
      unit: 'ms',
    });
    recordFigure(
      `text search, the first request of new words (the slowest of ${filtered.filter(([, q]) => q.includes('q=')).length}) at ${COUNT}`,
      worstFirstSearch,
      {
        atMost: 50,
        unit: 'ms',
      },
    );
  } finally {
    await stopServerProcess(child);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
