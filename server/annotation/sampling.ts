import type { z } from 'zod';
import type { StrataSchema } from '../../schema/api/annotation.ts';
import type { Db } from '../db/database.ts';
import { seededRandom } from '../stats/bootstrap.ts';
import { storedScenario } from './stored-scenario.ts';

type Strata = z.output<typeof StrataSchema>;
export type Stratum = 'clear-pass' | 'clear-fail' | 'borderline';

export function stratumOf(score: number): Stratum {
  return score >= 5 ? 'clear-pass' : score <= 2 ? 'clear-fail' : 'borderline';
}

/** Category and behaviour of the scenario text a transcript ran (the run keeps its exact text). */
export function scenarioMeta(content: string): { category: string; behavior: string; scenarioId: string } {
  const s = storedScenario(content);
  return { category: s.category, behavior: s.behavior, scenarioId: s.id };
}

/**
 * A stratified sample of judged transcripts: up to the requested number from each judge-score
 * band, and within a band spread across categories in turn (then behaviours), drawn with a seeded
 * shuffle so the same seed and data give the same sample.
 */
export async function sampleTranscripts(
  db: Db,
  input: { judgeVersionId: string; strata: Strata; category?: string; behavior?: string; seed: number },
): Promise<{ transcriptId: string; stratum: Stratum }[]> {
  const rows = await db
    .selectFrom('judgement as j')
    .innerJoin('dry_run as d', 'd.id', 'j.transcript_id')
    .select(['j.transcript_id', 'j.score', 'd.scenario_content'])
    .where('j.judge_version_id', '=', input.judgeVersionId)
    .where('j.status', '=', 'scored')
    .where('d.status', '=', 'completed')
    .orderBy('j.transcript_id')
    .execute();
  const random = seededRandom(input.seed);
  const wanted: Record<Stratum, number> = {
    'clear-pass': input.strata.clearPass,
    'clear-fail': input.strata.clearFail,
    borderline: input.strata.borderline,
  };
  const byStratum = new Map<Stratum, { id: string; category: string; behavior: string }[]>();
  for (const r of rows) {
    const meta = scenarioMeta(r.scenario_content);
    if (input.category && meta.category !== input.category) continue;
    if (input.behavior && meta.behavior !== input.behavior) continue;
    const s = stratumOf(r.score!);
    byStratum.set(s, [...(byStratum.get(s) ?? []), { id: r.transcript_id, ...meta }]);
  }
  const out: { transcriptId: string; stratum: Stratum }[] = [];
  for (const [stratum, count] of Object.entries(wanted) as [Stratum, number][]) {
    const pool = byStratum.get(stratum) ?? [];
    // Seeded Fisher-Yates, then round-robin over categories so no category crowds out the rest.
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    const queues = new Map<string, typeof pool>();
    for (const t of pool) queues.set(t.category, [...(queues.get(t.category) ?? []), t]);
    const order = [...queues.keys()].sort();
    let taken = 0;
    while (taken < count && order.some((c) => queues.get(c)!.length)) {
      for (const c of order) {
        const next = queues.get(c)!.shift();
        if (next && taken < count) {
          out.push({ transcriptId: next.id, stratum });
          taken++;
        }
      }
    }
  }
  return out;
}
