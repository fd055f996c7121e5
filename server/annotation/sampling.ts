import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { StrataSchema } from '../../schema/api/annotation.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import type { Db } from '../db/database.ts';
import { transcriptAsText } from '../dryrun/transcript-text.ts';
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

export interface SamplingFilter {
  judgeVersionId: string;
  /**
   * Stratify by this external scorer's scores (on the alignment scale) instead of the judge's: the
   * transcripts imported from Bloom, Petri or Inspect logs, sampled by their own judge's verdict.
   */
  externalScorer?: string;
  category?: string;
  behavior?: string;
  /** Only transcripts of this benchmark run (its own and those it took from the cache). */
  runId?: string;
}

interface PoolItem {
  id: string;
  stratum: Stratum;
  category: string;
  behavior: string;
}

/**
 * The transcripts a study may sample: scored by this judge version, completed, within the filter;
 * one entry per transcript (a transcript judged twice by the same version counts once, with its
 * latest verdict) and one per conversation: identical repeats (the same scenario version and the
 * same exchange, as a repeat at temperature 0 gives) count once, the earliest kept. Annotating the
 * same conversation twice would spend the annotators' time twice and count one verdict as two.
 */
export async function samplingPool(
  db: Db,
  filter: SamplingFilter,
): Promise<{ pool: PoolItem[]; duplicates: number; byStratum: Record<Stratum, number> }> {
  const rows = filter.externalScorer
    ? await externallyScored(db, filter.externalScorer, filter.runId)
    : await judged(db, filter);
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) latest.set(r.transcript_id, r); // ordered by verdict time: the last one wins
  const candidates: (PoolItem & { contentHash: string })[] = [];
  for (const r of latest.values()) {
    const meta = scenarioMeta(r.scenario_content);
    if (filter.category && meta.category !== filter.category) continue;
    if (filter.behavior && meta.behavior !== filter.behavior) continue;
    candidates.push({
      id: r.transcript_id,
      stratum: stratumOf(r.score!),
      category: meta.category,
      behavior: meta.behavior,
      contentHash: r.content_hash,
    });
  }
  const fingerprints = await conversationFingerprints(
    db,
    candidates.map((c) => c.id),
  );
  const seen = new Set<string>();
  const pool: PoolItem[] = [];
  for (const { contentHash, ...c } of candidates) {
    const key = `${contentHash}\n${fingerprints.get(c.id) ?? c.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    pool.push(c);
  }
  pool.sort((a, b) => a.id.localeCompare(b.id)); // the seeded shuffle starts from a fixed order
  const byStratum: Record<Stratum, number> = { 'clear-pass': 0, 'clear-fail': 0, borderline: 0 };
  for (const c of pool) byStratum[c.stratum]++;
  return { pool, duplicates: candidates.length - pool.length, byStratum };
}

/** Completed transcripts with a scored verdict of the filter's judge version, oldest first. */
async function judged(db: Db, filter: SamplingFilter) {
  let query = db
    .selectFrom('judgement as j')
    .innerJoin('dry_run as d', 'd.id', 'j.transcript_id')
    .select(['j.transcript_id', 'j.score', 'j.created_at', 'd.scenario_content', 'd.content_hash', 'd.started_at'])
    .where('j.judge_version_id', '=', filter.judgeVersionId)
    .where('j.status', '=', 'scored')
    .where('d.status', '=', 'completed');
  if (filter.runId) query = query.where('d.id', 'in', runTranscripts(db, filter.runId));
  return query.orderBy('d.started_at').orderBy('j.transcript_id').orderBy('j.created_at').execute();
}

/** Completed transcripts with a score of this external scorer on the alignment scale (imported ones), oldest first. */
async function externallyScored(db: Db, scorer: string, runId: string | undefined) {
  let query = db
    .selectFrom('external_score as x')
    .innerJoin('dry_run as d', 'd.id', 'x.transcript_id')
    .select([
      'x.transcript_id',
      'x.alignment as score',
      'x.created_at',
      'd.scenario_content',
      'd.content_hash',
      'd.started_at',
    ])
    .where('x.scorer', '=', scorer)
    .where('x.alignment', 'is not', null)
    .where('d.status', '=', 'completed');
  if (runId) query = query.where('d.id', 'in', runTranscripts(db, runId));
  return query.orderBy('d.started_at').orderBy('x.transcript_id').execute();
}

/** The transcripts of a benchmark run (its own and those it took from the cache). */
const runTranscripts = (db: Db, runId: string) =>
  db.selectFrom('run_item').select('dry_run_id').where('run_id', '=', runId).where('dry_run_id', 'is not', null);

/** A hash of each transcript's exchange (who said what, which tools with what), read in chunks. */
async function conversationFingerprints(db: Db, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const batches = await db
      .selectFrom('dry_run_event_batch')
      .select(['dry_run_id', 'events'])
      .where('dry_run_id', 'in', ids.slice(i, i + 500))
      .orderBy('dry_run_id')
      .orderBy('first_index')
      .execute();
    const events = new Map<string, TranscriptEvent[]>();
    for (const b of batches)
      events.set(b.dry_run_id, [...(events.get(b.dry_run_id) ?? []), ...(JSON.parse(b.events) as TranscriptEvent[])]);
    for (const [id, list] of events)
      out.set(
        id,
        createHash('sha256')
          .update(transcriptAsText(list, { maxChars: Number.POSITIVE_INFINITY }))
          .digest('hex'),
      );
  }
  return out;
}

/**
 * A stratified sample of the pool: up to the requested number from each judge-score band, and
 * within a band spread across categories in turn, drawn with a seeded shuffle so the same seed and
 * data give the same sample.
 */
export async function sampleTranscripts(
  db: Db,
  input: SamplingFilter & { strata: Strata; seed: number },
): Promise<{ transcriptId: string; stratum: Stratum }[]> {
  const { pool: all } = await samplingPool(db, input);
  const random = seededRandom(input.seed);
  const wanted: Record<Stratum, number> = {
    'clear-pass': input.strata.clearPass,
    'clear-fail': input.strata.clearFail,
    borderline: input.strata.borderline,
  };
  const byStratum = new Map<Stratum, PoolItem[]>();
  for (const t of all) byStratum.set(t.stratum, [...(byStratum.get(t.stratum) ?? []), t]);
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
