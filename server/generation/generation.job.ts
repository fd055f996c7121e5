import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenerationJobSettingsSchema, type GenerationJobSettings } from '../../schema/generation.ts';
import { defineJobKind, type JobContext } from '../jobs/job-kind.ts';
import type { ResolvedModel } from '../models/model.registry.ts';
import { findScenarioRowsById } from '../scenarios/scenario.repository.ts';
import { loadYamlFast } from '../yaml/yaml-limits.ts';
import { corpusSignaturesOf } from './corpus-signatures.ts';
import type { GenerationBrief } from './generation-prompt.ts';
import {
  candidateScenarioIds,
  ensureGenerationJob,
  jobTallies,
  listCandidates,
  rejectionsOf,
  saveCandidateOutcome,
  saveJobUsage,
  type GenerationCandidateRow,
} from './generation.repository.ts';
import { ModelUsage } from './model-usage.ts';
import { NearDuplicateIndex } from './near-duplicates.ts';
import { proposeScenario } from './propose-scenario.ts';
import { safeModelFacingText } from './corpus-signatures.ts';
import { screenCandidate, type ScreeningSetup } from './screen-candidate.ts';

// A generation job, as a background job (server/jobs). Resumable without a checkpoint: every
// candidate's outcome is written as it ends, and a rerun proposes only the candidates still
// pending; the batch's near-duplicate index is rebuilt from the candidates already screened.
// Cancelling aborts the calls in flight; their candidates stay pending. Candidates run
// `concurrency` at a time, so a job never has more calls in flight at its providers than that.

export const GENERATE_SCENARIOS = 'generate-scenarios';

export const generateScenariosJob = defineJobKind({
  kind: GENERATE_SCENARIOS,
  params: GenerationJobSettingsSchema,
  async run(ctx) {
    await ensureGenerationJob(ctx.services.db, ctx.jobId, ctx.params);
    return runGenerationJob(ctx);
  },
});

async function runGenerationJob(ctx: JobContext<GenerationJobSettings>): Promise<{ counts: Record<string, number> }> {
  const { db, corpus, models } = ctx.services;
  const settings = ctx.params;
  const resolve = (id: string | null): ResolvedModel | null => {
    if (!id) return null;
    const r = models.resolve(id);
    if (!r.ok) throw new Error(`model "${id}": ${r.message}`);
    return r.model;
  };
  const generator = resolve(settings.generatorModel)!;
  const setup: ScreeningSetup = {
    check: { taxonomy: corpus.taxonomy, idTakenBy: () => undefined },
    corpusIndex: await corpusSignaturesOf(corpus).index(),
    batchIndex: new NearDuplicateIndex(),
    duplicateThreshold: settings.duplicateThreshold,
    realismThreshold: settings.realismThreshold,
    dryRunModel: resolve(settings.dryRunModel),
    screenModel: resolve(settings.screenModel ?? settings.generatorModel),
    helpers: {
      referee: models.forRole('referee'),
      simulator: models.forRole('simulator'),
      simulatedUser: models.forRole('simulated_user'),
    },
  };
  const all = await listCandidates(db, { jobId: ctx.jobId, limit: 100_000 });
  for (const c of all)
    if (c.status !== 'pending' && c.status !== 'dropped' && c.yaml && c.scenario_id)
      setup.batchIndex.addText(c.scenario_id, safeModelFacingText(loadYamlFast(c.yaml)));

  const corpusIds = new Set((await db.selectFrom('scenario').select('id').execute()).map((r) => r.id));
  const taken = new Set([...corpusIds, ...(await candidateScenarioIds(db))]);
  setup.check.idTakenBy = (id) => (corpusIds.has(id) ? `the corpus (${id})` : undefined);
  const briefs = new Map<string, Omit<GenerationBrief, 'variation'>>();
  for (const behavior of settings.behaviors) briefs.set(behavior, await briefOf(ctx, behavior, settings.seeds));

  const pending = all.filter((c) => c.status === 'pending');
  let done = all.length - pending.length;
  ctx.progress(done, all.length, null);
  const one = async (candidate: GenerationCandidateRow) => {
    const usage = new ModelUsage();
    const brief = {
      ...briefs.get(candidate.behavior)!,
      variation: JSON.parse(candidate.variation) as Record<string, string>,
    };
    const category = corpus.taxonomy.categories.find((c) => c.behaviours.some((b) => b.id === candidate.behavior))!.id;
    const proposal = await proposeScenario(
      generator,
      brief,
      { behavior: candidate.behavior, category, jobId: ctx.jobId, idTaken: (id) => taken.has(id), check: setup.check },
      ctx.signal,
    );
    usage.merge(proposal.usage);
    if (!proposal.ok) {
      await saveCandidateOutcome(db, candidate.id, {
        status: 'dropped',
        scenarioId: null,
        yaml: null,
        reason: proposal.reason,
        repaired: true,
        screens: null,
        usage,
      });
      return 'dropped';
    }
    taken.add(proposal.id);
    const screened = await screenCandidate(
      { id: candidate.id, scenarioId: proposal.id, yaml: proposal.yaml, category },
      setup,
      ctx.signal,
      usage,
    );
    await saveCandidateOutcome(db, candidate.id, {
      status: screened.status,
      scenarioId: proposal.id,
      yaml: proposal.yaml,
      reason: screened.reason,
      repaired: proposal.repaired,
      screens: screened.screens,
      usage,
    });
    return screened.status;
  };

  let next = 0;
  const worker = async () => {
    while (next < pending.length && !ctx.signal.aborted) {
      const candidate = pending[next++]!;
      try {
        const status = await one(candidate);
        ctx.progress(++done, all.length, `candidate ${candidate.position + 1}: ${status}`);
      } catch (e) {
        if (ctx.signal.aborted) return;
        // A provider failure after its retries: the candidate is dropped with the error, the job goes on.
        const reason = `the model call failed: ${ctx.services.redact(e instanceof Error ? e.message : String(e))}`;
        await saveCandidateOutcome(db, candidate.id, {
          status: 'dropped',
          scenarioId: null,
          yaml: null,
          reason,
          repaired: false,
          screens: null,
          usage: new ModelUsage(),
        });
        ctx.progress(++done, all.length, `candidate ${candidate.position + 1}: dropped`);
      }
    }
  };
  // Candidates at once: the job's setting, and no more than keeps each used provider within its
  // max_concurrency (models file); a candidate has two calls in flight while its realism screen runs
  // beside its dry-run.
  const perCandidate = setup.dryRunModel && setup.screenModel ? 2 : 1;
  const used = [generator, setup.dryRunModel, setup.screenModel].filter((m): m is ResolvedModel => m !== null);
  const providerLimit = Math.min(...used.map((m) => m.provider.max_concurrency ?? Infinity));
  const limit = Math.max(1, Math.min(settings.concurrency, Math.floor(providerLimit / perCandidate)));
  await Promise.all(Array.from({ length: Math.min(limit, pending.length) }, worker));
  const tallies = await jobTallies(db, ctx.jobId);
  await saveJobUsage(db, ctx.jobId, tallies);
  ctx.signal.throwIfAborted();
  return { counts: tallies.counts };
}

async function briefOf(
  ctx: JobContext<GenerationJobSettings>,
  behavior: string,
  seedIds: string[],
): Promise<Omit<GenerationBrief, 'variation'>> {
  const { db, corpus } = ctx.services;
  const category = corpus.taxonomy.categories.find((c) => c.behaviours.some((b) => b.id === behavior));
  const behaviour = category?.behaviours.find((b) => b.id === behavior);
  if (!category || !behaviour) throw new Error(`behaviour "${behavior}" is not in the taxonomy`);
  const seeds: string[] = [];
  for (const id of seedIds) {
    const row = (await findScenarioRowsById(db, id))[0];
    if (row) seeds.push(readFileSync(join(corpus.root, row.rel_path), 'utf8'));
  }
  const existing = await db
    .selectFrom('scenario')
    .select('title')
    .where('behavior', '=', behavior)
    .orderBy('title')
    .limit(40)
    .execute();
  return {
    behaviour: {
      id: behaviour.id,
      name: behaviour.name,
      description: behaviour.description,
      category: category.name,
      categoryDescription: category.description,
    },
    seeds,
    existingTitles: existing.map((r) => r.title),
    rejected: await rejectionsOf(db, behavior),
  };
}
