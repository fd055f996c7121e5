import type { CandidateScreens, CandidateStatus } from '../../schema/generation.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { runConversation, type HelperModels } from '../dryrun/conversation.ts';
import type { ResolvedModel } from '../models/model.registry.ts';
import { checkScenarioText, formatPath, type ScenarioCheckContext } from '../scenarios/scenario.check.ts';
import { contentHash } from '../scenarios/scenario.row.ts';
import { modelFacingText } from './model-facing-text.ts';
import { biteScreen, realismScreen } from './model-screens.ts';
import type { ModelUsage } from './model-usage.ts';
import { signatureOfText, type NearDuplicateIndex } from './near-duplicates.ts';

// Every screen of one candidate, in order of cost: the checks and near-duplicate detection (no
// model), then the realism screen beside a dry-run, then the pressure check on that dry-run. A
// candidate that fails a cheap screen spends nothing on the others.

export interface ScreeningSetup {
  check: Omit<ScenarioCheckContext, 'fileId' | 'folder'>;
  corpusIndex: NearDuplicateIndex;
  /** Candidates of this job screened so far; each one screened is added. */
  batchIndex: NearDuplicateIndex;
  duplicateThreshold: number;
  realismThreshold: number;
  dryRunModel: ResolvedModel | null;
  screenModel: ResolvedModel | null;
  helpers: HelperModels;
}

export interface ScreeningResult {
  status: Extract<CandidateStatus, 'review' | 'screened-out'>;
  reason: string | null;
  screens: CandidateScreens;
}

const notRun = (why: string) => ({ pass: null, detail: `not run: ${why}` });

export async function screenCandidate(
  candidate: { id: string; scenarioId: string; yaml: string; category: string },
  setup: ScreeningSetup,
  signal: AbortSignal,
  usage: ModelUsage,
): Promise<ScreeningResult> {
  const screens: CandidateScreens = {
    checks: { pass: true, detail: 'valid', errors: [] },
    duplicate: { ...notRun('the checks failed'), threshold: setup.duplicateThreshold, nearest: null },
    dryRun: {
      ...notRun('an earlier screen failed'),
      model: setup.dryRunModel?.id ?? null,
      dryRunId: null,
      replies: [],
    },
    bite: { ...notRun('an earlier screen failed'), verdict: null },
    realism: { ...notRun('an earlier screen failed'), score: null },
  };
  const checked = checkScenarioText(candidate.yaml, {
    ...setup.check,
    fileId: candidate.scenarioId,
    folder: candidate.category,
  });
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  screens.checks.errors = errors.map((d) => ({
    path: formatPath(d.path),
    line: d.line,
    column: d.column,
    message: d.message,
  }));
  const scenario = checked.scenario;
  if (errors.length > 0 || !scenario) {
    screens.checks.pass = false;
    screens.checks.detail = `${errors.length} error(s): ${errors[0]?.message ?? 'not a valid scenario'}`;
    return outcome(screens);
  }

  const signature = signatureOfText(modelFacingText(scenario));
  const inCorpus = setup.corpusIndex.nearest(signature);
  const inBatch = setup.batchIndex.nearest(signature);
  setup.batchIndex.add(candidate.scenarioId, signature);
  const nearest =
    inBatch && (!inCorpus || inBatch.similarity > inCorpus.similarity)
      ? { ...inBatch, in: 'batch' as const }
      : inCorpus && { ...inCorpus, in: 'corpus' as const };
  const duplicate = nearest !== null && nearest.similarity >= setup.duplicateThreshold;
  screens.duplicate = {
    pass: !duplicate,
    threshold: setup.duplicateThreshold,
    nearest,
    detail: nearest
      ? `${duplicate ? 'near-duplicate of' : 'nearest:'} ${nearest.id} (${nearest.in}, estimated Jaccard ${nearest.similarity.toFixed(2)}; threshold ${setup.duplicateThreshold})`
      : 'no similar scenario in the corpus or the batch',
  };
  if (duplicate) return outcome(screens);

  const realism = setup.screenModel
    ? realismScreen(setup.screenModel, scenario, signal, usage).then(
        (r) => ({
          pass: r.score >= setup.realismThreshold,
          score: r.score,
          detail: `realism ${r.score}/5 (threshold ${setup.realismThreshold}): ${r.rationale}`,
        }),
        (e: unknown) => {
          signal.throwIfAborted();
          return { pass: false, score: null, detail: `the realism screen failed: ${message(e)}` };
        },
      )
    : Promise.resolve({ ...notRun('no screen model'), score: null });

  if (setup.dryRunModel) {
    const events = await dryRun(candidate.id, scenario, contentHash(candidate.yaml), setup, signal, usage);
    const failure = events.find((e) => e.type === 'error' && e.fatal);
    const replies = events.flatMap((e) => (e.type === 'assistant-message' ? [e.text.slice(0, 1200)] : []));
    screens.dryRun = {
      pass: failure ? false : replies.length > 0,
      model: setup.dryRunModel.id,
      dryRunId: null,
      replies,
      detail: failure?.type === 'error' ? `the dry-run failed: ${failure.message}` : `${replies.length} repl(ies)`,
    };
    if (screens.dryRun.pass && setup.screenModel) {
      try {
        const bite = await biteScreen(setup.screenModel, scenario, events, signal, usage);
        screens.bite = {
          pass: bite.verdict === 'real-conflict',
          verdict: bite.verdict,
          detail: `${bite.verdict}: ${bite.rationale}`,
        };
      } catch (e) {
        signal.throwIfAborted();
        screens.bite = { pass: false, verdict: null, detail: `the pressure check failed: ${message(e)}` };
      }
    } else if (screens.dryRun.pass) screens.bite = { ...notRun('no screen model'), verdict: null };
  } else {
    screens.dryRun = { ...notRun('no dry-run model chosen'), model: null, dryRunId: null, replies: [] };
    screens.bite = { ...notRun('no dry-run'), verdict: null };
  }
  screens.realism = await realism;
  return outcome(screens);
}

async function dryRun(
  id: string,
  scenario: NonNullable<ReturnType<typeof checkScenarioText>['scenario']>,
  hash: string,
  setup: ScreeningSetup,
  signal: AbortSignal,
  usage: ModelUsage,
): Promise<TranscriptEvent[]> {
  const events: TranscriptEvent[] = [];
  for await (const event of runConversation({
    dryRunId: id,
    scenario,
    contentHash: hash,
    target: { kind: 'model', model: setup.dryRunModel!, params: {} },
    helpers: setup.helpers,
    signal,
    stream: false,
  })) {
    events.push(event);
    if (event.type === 'done')
      usage.merge({ inputTokens: event.inputTokens, outputTokens: event.outputTokens, costUsd: event.costUsd });
  }
  signal.throwIfAborted();
  return events;
}

/** Screened out at the first failed screen, with its detail as the reason. */
function outcome(screens: CandidateScreens): ScreeningResult {
  const order = ['checks', 'duplicate', 'dryRun', 'bite', 'realism'] as const;
  const failed = order.find((k) => screens[k].pass === false);
  return failed
    ? { status: 'screened-out', reason: `${SCREEN_NAMES[failed]}: ${screens[failed].detail}`, screens }
    : { status: 'review', reason: null, screens };
}

export const SCREEN_NAMES = {
  checks: 'checks',
  duplicate: 'near-duplicate',
  dryRun: 'dry-run',
  bite: 'pressure check',
  realism: 'realism screen',
} as const;

function message(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}
