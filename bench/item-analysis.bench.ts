// Issue 19's item-analysis benchmark: GET /api/analysis/items's whole computation (the SQLite
// queries, classical item statistics, and the 2PL fit) and the choice of a 10% anchor subset as a
// quick run makes it (its own queries, k-means per category), for 100 models x 1,000 scenarios x 3
// repeats = 300,000 judged transcripts, simulated from a 2PL-like population, read once for both.
// Target: both together <= 5 s. The subset's leave-one-model-out check (100 more choices) is timed and printed.
// Run: npx tsx bench/item-analysis.bench.ts
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anchorSubsetOf } from '../server/analysis/anchor-subset.repository.ts';
import { itemAnalysis, readJudged } from '../server/analysis/item-analysis.repository.ts';
import { validateLeaveOneModelOut } from '../server/stats/anchor-subset.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { DEFAULT_JUDGE_PROMPT } from '../server/judge/judge-prompt.ts';
import { createJudgeVersion } from '../server/judge/judge.repository.ts';
import { seededRandom } from '../server/stats/bootstrap.ts';
import { recordFigure } from './support.ts';

const MODELS = 100;
const SCENARIOS = 1000;
const REPEATS = 3;
const dir = mkdtempSync(join(tmpdir(), 'crucible-items-bench-'));
const db = openDatabase(join(dir, 'bench.sqlite'));
try {
  await migrateToLatest(db);
  const judge = await createJudgeVersion(db, {
    name: 'bench',
    settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
    reason: 'bench',
    createdBy: null,
  });
  const runId = randomUUID();
  const now = new Date().toISOString();
  await db
    .insertInto('run')
    .values({
      id: runId,
      name: 'bench',
      status: 'completed',
      settings: '{}',
      judge_version_id: judge.id,
      retries: 0,
      created_by: null,
      created_at: now,
      started_at: now,
      finished_at: now,
    })
    .execute();
  const random = seededRandom(19);
  const z = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const theta = Array.from({ length: MODELS }, z);
  const a = Array.from({ length: SCENARIOS }, () => Math.exp(0.3 * z()));
  const b = Array.from({ length: SCENARIOS }, z);
  const seedStart = performance.now();
  await db.transaction().execute(async (trx) => {
    let items: Record<string, unknown>[] = [];
    let verdicts: Record<string, unknown>[] = [];
    const flush = async () => {
      if (!items.length) return;
      await trx
        .insertInto('run_item')
        .values(items as never)
        .execute();
      await trx
        .insertInto('judgement')
        .values(verdicts as never)
        .execute();
      items = [];
      verdicts = [];
    };
    for (let m = 0; m < MODELS; m++)
      for (let s = 0; s < SCENARIOS; s++)
        for (let r = 0; r < REPEATS; r++) {
          const transcript = randomUUID();
          const score = Math.max(1, Math.min(5, Math.round(3 + a[s]! * (theta[m]! - b[s]!) + z())));
          items.push({
            id: randomUUID(),
            run_id: runId,
            scenario_id: `s${s}`,
            content_hash: 'h',
            scenario_content: '',
            category: `c${s % 6}`,
            behavior: `b${s % 37}`,
            model: `m${m}`,
            repeat: r,
            status: 'done',
            dry_run_id: transcript,
            attempts: 1,
            cached: 0,
            error: null,
            input_tokens: 0,
            output_tokens: 0,
            cost_usd: null,
            finished_at: now,
          });
          verdicts.push({
            id: randomUUID(),
            transcript_id: transcript,
            judge_version_id: judge.id,
            status: 'scored',
            scale: 'alignment-1-5-higher-better',
            score,
            judge_score: score,
            passed: score >= 4 ? 1 : 0,
            red_flagged: 0,
            pass_met: '[]',
            fail_met: '[]',
            evidence: '[]',
            rationale: null,
            samples: '[]',
            attempts: 1,
            error: null,
            elided_entries: 0,
            dimensions: '[]',
            created_at: now,
          });
          if (items.length >= 400) await flush();
        }
    await flush();
  });
  console.log(
    `seeded ${MODELS * SCENARIOS * REPEATS} judged transcripts in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  const t = performance.now();
  // One read of the judged transcripts for both, as a page showing the analysis and a subset would.
  const read = await readJudged(db, judge.id);
  const analysis = await itemAnalysis(db, judge, read);
  const ms = performance.now() - t;
  console.log(
    `${analysis.items.length} scenarios, ${analysis.models.length} models, ${analysis.transcripts} transcripts; 2PL ${analysis.irt.converged ? 'converged' : 'did not converge'} in ${analysis.irt.iterations} iterations`,
  );
  const s0 = performance.now();
  const chosen = await anchorSubsetOf(db, judge.id, SCENARIOS / 10, read);
  const selectMs = performance.now() - s0;
  if (!chosen.ok) throw new Error(`no subset: ${chosen.reason}`);
  console.log(
    `item analysis ${ms.toFixed(0)} ms; anchor subset (${chosen.subset.anchors.length} of ${chosen.items.length} scenarios, ${chosen.models.length} models) ${selectMs.toFixed(0)} ms`,
  );
  recordFigure(
    'item analysis (queries, statistics, 2PL) and a 10% anchor subset, 100 models x 1,000 scenarios x 3 repeats',
    ms + selectMs,
    { atMost: 5000, unit: 'ms' },
  );
  const v0 = performance.now();
  const lomo = validateLeaveOneModelOut(chosen.scores, chosen.strata, SCENARIOS / 10);
  console.log(
    `leave-one-model-out check of the subset (not gated): ${(performance.now() - v0).toFixed(0)} ms; MAE ${lomo.meanAbsoluteError.toFixed(3)}, coverage ${lomo.coverage.toFixed(3)}`,
  );
} finally {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
}
