import { stringify } from 'yaml';
import type { ImportReport } from '../../schema/api/import.ts';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import { TranscriptEventSchema, type TranscriptEvent } from '../../schema/transcript.ts';
import type { Db } from '../db/database.ts';
import { checkScenarioText } from '../scenarios/scenario.check.ts';
import { contentHash } from '../scenarios/scenario.row.ts';
import { ImportError, type ImportPlan } from './import.plan.ts';
import { alignmentOf, transcriptIdOf, type PlannedTranscript } from './transcript.plan.ts';

// Writes a plan's transcripts: each a completed dry_run row with its events and the scenario text
// it is stored with, an imported_transcript row (source and hash), and its external scores.
// Everything is checked first (each scenario with the project's checker against the taxonomy as the
// import leaves it, each event with the transcript schema); then all of it is written in one
// transaction. A transcript whose source hash is already imported is `unchanged` (scores it did not
// have yet are added; a different value for a scorer it has is kept as it was and reported), and
// a second item with the same content in one file is a `duplicate`.

type TranscriptEntry = ImportReport['transcripts'][number];

interface Checked {
  planned: PlannedTranscript;
  id: string;
  yaml: string;
  events: TranscriptEvent[];
}

/** Checks every transcript of the plan; throws an ImportError at the first problem. */
export function checkTranscripts(plan: ImportPlan, taxonomy: Taxonomy): Checked[] {
  return (plan.transcripts ?? []).map((planned) => {
    const id = transcriptIdOf(planned.sourceHash);
    const yaml = stringify(planned.scenario, { lineWidth: 0 });
    const scenarioId = String(planned.scenario.id);
    const { scenario, diagnostics } = checkScenarioText(yaml, { taxonomy, fileId: scenarioId });
    const error = diagnostics.find((d) => d.severity === 'error');
    if (!scenario || error)
      throw new ImportError(
        plan.file,
        planned.item,
        error?.path.join('.') ?? '',
        `the transcript's scenario does not validate: ${error?.message ?? 'unknown problem'}`,
      );
    const events: TranscriptEvent[] = [
      {
        type: 'start',
        dryRunId: id,
        scenarioId,
        contentHash: contentHash(yaml),
        model: planned.model,
        params: {},
        at: planned.startedAt,
      },
      ...planned.events,
      { type: 'done', status: 'completed', inputTokens: 0, outputTokens: 0, costUsd: null, latencyMs: 0 },
    ];
    events.forEach((e, i) => {
      const parsed = TranscriptEventSchema.safeParse(e);
      if (!parsed.success)
        throw new ImportError(
          plan.file,
          planned.item,
          `event ${i} (${e.type})`,
          parsed.error.issues[0]?.message ?? 'not a transcript event',
        );
    });
    return { planned, id, yaml, events };
  });
}

/** What writing the checked transcripts does (or would do); writes only when `dryRun` is false. */
export async function writeTranscripts(db: Db, checked: Checked[], dryRun: boolean): Promise<TranscriptEntry[]> {
  const entries: TranscriptEntry[] = [];
  const firstItem = new Map<string, string>();
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    for (const c of checked) {
      const { planned, id } = c;
      const base = {
        item: planned.item,
        id,
        scenarioId: String(planned.scenario.id),
        model: planned.model,
        events: c.events.length,
        dropped: planned.dropped,
      };
      const earlier = firstItem.get(planned.sourceHash);
      if (earlier) {
        entries.push({
          ...base,
          action: 'duplicate',
          reason: `the same conversation as ${earlier}: imported once`,
          scores: [],
        });
        continue;
      }
      firstItem.set(planned.sourceHash, planned.item);
      const existing = await trx
        .selectFrom('imported_transcript')
        .select(['dry_run_id', 'reference'])
        .where('source_hash', '=', planned.sourceHash)
        .executeTakeFirst();
      const stored = existing
        ? await trx
            .selectFrom('external_score')
            .select(['scorer', 'raw'])
            .where('transcript_id', '=', existing.dry_run_id)
            .execute()
        : [];
      const scores: TranscriptEntry['scores'] = planned.scores.map((s) => {
        const before = stored.find((x) => x.scorer === s.scorer);
        const action = !before ? 'add' : before.raw === JSON.stringify(s.raw) ? 'unchanged' : 'kept';
        return { scorer: s.scorer, raw: JSON.stringify(s.raw), alignment: alignmentOf(s), action };
      });
      entries.push({
        ...base,
        action: existing ? 'unchanged' : 'create',
        ...(existing ? { reason: `imported before from ${existing.reference}` } : {}),
        scores,
      });
      if (dryRun) continue;
      if (!existing) {
        await trx
          .insertInto('dry_run')
          .values({
            id,
            scenario_id: base.scenarioId,
            content_hash: contentHash(c.yaml),
            scenario_content: c.yaml,
            model: planned.model,
            params: '{}',
            status: 'completed',
            started_at: planned.startedAt,
            finished_at: planned.startedAt,
            cost_usd: null,
            latency_ms: null,
            ttft_ms: null,
            error: null,
            run_id: null,
            cache_key: null,
          })
          .execute();
        await trx
          .insertInto('dry_run_event_batch')
          .values({ dry_run_id: id, first_index: 0, events: JSON.stringify(c.events) })
          .execute();
        await trx
          .insertInto('imported_transcript')
          .values({
            dry_run_id: id,
            format: planned.format,
            reference: planned.item,
            source_hash: planned.sourceHash,
            dropped: JSON.stringify(planned.dropped),
            imported_at: now,
          })
          .execute();
      }
      const transcriptId = existing?.dry_run_id ?? id;
      for (const s of planned.scores.filter((_, k) => scores[k]!.action === 'add')) {
        await trx
          .insertInto('external_score')
          .values({
            transcript_id: transcriptId,
            scorer: s.scorer,
            raw: JSON.stringify(s.raw),
            value: s.value,
            scale_min: s.scale?.min ?? null,
            scale_max: s.scale?.max ?? null,
            direction: s.direction,
            alignment: alignmentOf(s),
            rationale: s.rationale,
            created_at: now,
          })
          .execute();
      }
    }
  });
  return entries;
}
