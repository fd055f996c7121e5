import type { JudgeVersion } from '../../schema/judge.ts';
import type { Db } from '../db/database.ts';
import { findDryRunById } from '../dryrun/dryrun.repository.ts';
import { withLinkedSignal } from '../models/linked-signal.ts';
import type { ModelRegistry } from '../models/model.registry.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { storedVariantScenario } from '../variants/scenario-variant.ts';
import { judgeTranscript } from './judge.ts';
import { saveJudgement } from './judge.repository.ts';

/**
 * Judges many stored transcripts with one judge version, a few at a time (enough to hide latency,
 * few enough to be kind to rate limits), storing each verdict or judge error as it comes.
 */
export async function judgeTranscripts(
  db: Db,
  corpus: ScenarioCorpus,
  models: ModelRegistry,
  judge: JudgeVersion,
  transcriptIds: readonly string[],
  opts: {
    concurrency?: number;
    signal?: AbortSignal;
    /** Called after each transcript's verdict (or judge error) is stored: a job's progress and checkpoint. */
    onJudged?: (transcriptId: string, ok: boolean) => void | Promise<void>;
  } = {},
): Promise<{ scored: number; errors: number; problem: string | null }> {
  const model = models.resolve(judge.settings.model);
  if (!model.ok) return { scored: 0, errors: 0, problem: model.message };
  const queue = [...transcriptIds];
  let scored = 0;
  let errors = 0;
  // Every worker is waited for, even when one throws (a stop aborting a call): a worker still
  // between its stored verdict and its onJudged would otherwise report after the caller moved on
  // (a job's progress written after the job was handed back, and lost).
  const workers = await Promise.allSettled(
    Array.from({ length: opts.concurrency ?? 4 }, async () => {
      for (let id = queue.shift(); id && !opts.signal?.aborted; id = queue.shift()) {
        const run = await findDryRunById(db, id);
        const scenario = run ? storedVariantScenario(run.scenarioContent, corpus.taxonomy, run.variantValues) : null;
        if (!run || !scenario) {
          errors++;
          await opts.onJudged?.(id, false);
          continue;
        }
        // One signal per call, linked to the caller's (which may outlive thousands of calls).
        const outcome = await withLinkedSignal(opts.signal, (signal) =>
          judgeTranscript(model.model, judge.settings, scenario, run.events, signal),
        );
        // A call cut short by a cancel is not a verdict: nothing is stored for it.
        if (opts.signal?.aborted) break;
        await saveJudgement(db, id, judge.id, outcome);
        if (outcome.status === 'scored') scored++;
        else errors++;
        await opts.onJudged?.(id, outcome.status === 'scored');
      }
    }),
  );
  const failed = workers.find((w) => w.status === 'rejected');
  if (failed) throw failed.reason;
  return { scored, errors, problem: null };
}
