import type { JudgeVersion } from '../../schema/judge.ts';
import type { Db } from '../db/database.ts';
import { findDryRunById } from '../dryrun/dryrun.repository.ts';
import { judgeTranscript } from '../judge/judge.ts';
import { saveJudgement } from '../judge/judge.repository.ts';
import type { ModelRegistry } from '../models/model.registry.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { checkScenarioText } from '../scenarios/scenario.check.ts';

/** Judges every finished transcript of a run with another judge version; the target models are not called. */
export async function rejudgeRun(db: Db, corpus: ScenarioCorpus, models: ModelRegistry, runId: string, judge: JudgeVersion, signal?: AbortSignal) {
  const model = models.resolve(judge.settings.model);
  if (!model.ok) return { judgeVersionId: judge.id, scored: 0, errors: 0, skipped: 0, problem: model.message };
  const items = await db.selectFrom('run_item').select('dry_run_id').where('run_id', '=', runId).where('status', '=', 'done').execute();
  const already = new Set((await db.selectFrom('judgement').select('transcript_id').where('judge_version_id', '=', judge.id).where('status', '=', 'scored').execute()).map((r) => r.transcript_id));
  const queue = items.map((i) => i.dry_run_id!).filter((id) => !already.has(id));
  let scored = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        const run = await findDryRunById(db, id);
        const scenario = run ? checkScenarioText(run.scenarioContent, { taxonomy: corpus.taxonomy }).scenario : null;
        if (!run || !scenario) {
          errors++;
          continue;
        }
        const outcome = await judgeTranscript(model.model, judge.settings, scenario, run.events, signal);
        await saveJudgement(db, id, judge.id, outcome);
        outcome.status === 'scored' ? scored++ : errors++;
      }
    }),
  );
  return { judgeVersionId: judge.id, scored, errors, skipped: already.size, problem: null };
}
