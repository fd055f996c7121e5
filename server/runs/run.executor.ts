import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter, setMaxListeners } from 'node:events';
import type { RunProgress, RunSettings } from '../../schema/api/runs.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import type { Db } from '../db/database.ts';
import { runConversation } from '../dryrun/conversation.ts';
import { appendDryRunEvents, readDryRunEvents } from '../dryrun/dryrun.repository.ts';
import { judgeTranscript } from '../judge/judge.ts';
import { findJudgeVersion, saveJudgement } from '../judge/judge.repository.ts';
import { retryingModel } from '../models/call-retries.ts';
import { withLinkedSignal } from '../models/linked-signal.ts';
import type { ModelRegistry, ResolvedModel } from '../models/model.registry.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { checkScenarioText } from '../scenarios/scenario.check.ts';
import { resolveVariant, storedVariantValues } from '../variants/scenario-variant.ts';
import { GroupCommitter } from './group-commit.ts';
import { ItemQueue } from './item-queue.ts';
import type { RunItemTable } from './run.tables.ts';
import { findRun, runProgress, settingsOf } from './run.repository.ts';

/** An item waiting in the queue: its scenario text is read when it starts, not held for the whole run. */
type QueuedItem = Pick<RunItemTable, (typeof QUEUED_COLUMNS)[number]>;
const QUEUED_COLUMNS = [
  'id',
  'run_id',
  'scenario_id',
  'content_hash',
  'category',
  'behavior',
  'model',
  'repeat',
  'status',
  'dry_run_id',
  'attempts',
  'cached',
  'error',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'finished_at',
  'variant_of',
  'variant_values',
] as const satisfies readonly (keyof RunItemTable)[];

// Runs a benchmark run: items in parallel within an overall and a per-provider limit, every
// finished item committed in one transaction (transcript, verdict, item status) so a crash or a
// stop loses only items in flight, which run again on resume. A transient fault (429, 5xx, a
// dropped connection) is retried where it happened, call by call, with exponential backoff and
// jitter (see call-retries.ts): the conversation goes on from the failed turn. Nothing here knows
// about HTTP: the studio and the CLI both drive it.

/** Faults the call retries cannot take (a step timeout has spent its time): the item starts again later. */
const ITEM_RETRY = new Set(['timeout']);

export interface RunHandle {
  done: Promise<void>;
  stop(): void;
}

export class RunExecutor {
  readonly events = new EventEmitter<{ progress: [string, RunProgress]; finished: [string] }>();
  private readonly active = new Map<string, RunHandle>();
  /** Items being worked on now, per run (not written to the database: see runItem). */
  private readonly inFlight = new Map<string, number>();
  private readonly committer: GroupCommitter;

  constructor(
    private readonly db: Db,
    private readonly corpus: ScenarioCorpus,
    private readonly models: ModelRegistry,
    private readonly opts: {
      backoffBaseMs?: number;
      log?: (line: string) => void;
      /** Blanks key values out of provider error texts before they are stored. */
      redact?: (text: string) => string;
    } = {},
  ) {
    this.events.setMaxListeners(0);
    this.committer = new GroupCommitter(db, 10);
  }

  isRunning(runId: string): boolean {
    return this.active.has(runId);
  }

  /** How many of a run's items are being worked on right now. */
  runningItems(runId: string): number {
    return this.inFlight.get(runId) ?? 0;
  }

  /** Starts (or resumes) a run; finished items are never redone. */
  async start(runId: string): Promise<RunHandle> {
    const existing = this.active.get(runId);
    if (existing) return existing;
    const run = await findRun(this.db, runId);
    if (!run) throw new Error(`no run ${runId}`);
    const settings = settingsOf(run);
    // Items left "running" by a crash or a kill were never committed: they run again.
    await this.db
      .updateTable('run_item')
      .set({ status: 'pending' })
      .where('run_id', '=', runId)
      .where('status', '=', 'running')
      .execute();
    await this.db
      .updateTable('run')
      .set({ status: 'running', started_at: run.started_at ?? new Date().toISOString(), finished_at: null })
      .where('id', '=', runId)
      .execute();
    const judge = run.judge_version_id ? await findJudgeVersion(this.db, run.judge_version_id) : null;
    const controller = new AbortController();
    // One listener per item in flight (its linked signal): bounded by the concurrency, not the run.
    setMaxListeners(0, controller.signal);
    const done = this.execute(runId, settings, judge, controller.signal).finally(() => {
      this.active.delete(runId);
      this.events.emit('finished', runId);
    });
    const handle = { done, stop: () => controller.abort() };
    this.active.set(runId, handle);
    return handle;
  }

  /** Stops every run and waits for the items in flight to settle (for shutdown). */
  async stopAll(): Promise<void> {
    const handles = [...this.active.values()];
    for (const h of handles) h.stop();
    await Promise.all(handles.map((h) => h.done.catch(() => undefined)));
  }

  private async execute(
    runId: string,
    settings: RunSettings,
    judge: JudgeVersion | null,
    signal: AbortSignal,
  ): Promise<void> {
    const pending = await this.db
      .selectFrom('run_item')
      .select(QUEUED_COLUMNS)
      .where('run_id', '=', runId)
      .where('status', '=', 'pending')
      .orderBy('scenario_id')
      .orderBy('repeat')
      .orderBy('model')
      .execute();
    const providerOf = (model: string) => this.models.list().find((m) => m.id === model)?.provider ?? model;
    const queue = new ItemQueue<QueuedItem>();
    for (const item of pending) queue.push(providerOf(item.model), item);
    const inFlight = new Map<string, number>();
    let running = 0;
    const delayed: Promise<void>[] = [];
    let wake: (() => void) | null = null;
    const notify = () => {
      wake?.();
      wake = null;
    };
    let lastProgress = 0;
    let trailing: ReturnType<typeof setTimeout> | null = null;
    const progress = async (force = false) => {
      const wait = lastProgress + 1000 - Date.now();
      if (!force && wait > 0) {
        // At most one update a second, but the last change is never dropped: it goes out when the
        // second is up, so a run waiting on a slow provider still shows its latest count.
        trailing ??= setTimeout(() => {
          trailing = null;
          void progress();
        }, wait);
        return;
      }
      if (trailing) clearTimeout(trailing);
      trailing = null;
      lastProgress = Date.now();
      const run = await findRun(this.db, runId);
      if (run) this.events.emit('progress', runId, { ...(await runProgress(this.db, run)), running });
    };

    const launch = (item: QueuedItem) => {
      const provider = providerOf(item.model);
      running++;
      this.inFlight.set(runId, running);
      inFlight.set(provider, (inFlight.get(provider) ?? 0) + 1);
      // Each item gets its own signal, linked to the run's until the item ends (not the run's itself).
      void withLinkedSignal(signal, (itemSignal) => this.runItem(item, settings, judge, itemSignal))
        .then(async (outcome) => {
          if (outcome === 'retry') {
            await this.db
              .updateTable('run')
              .set((eb) => ({ retries: eb('retries', '+', 1) }))
              .where('id', '=', runId)
              .execute();
            const attempt = item.attempts + 1;
            const wait =
              Math.min(30_000, (this.opts.backoffBaseMs ?? 500) * 2 ** (attempt - 1)) * (0.5 + Math.random());
            delayed.push(
              new Promise<void>((resolve) => setTimeout(resolve, wait)).then(() => {
                queue.push(provider, { ...item, attempts: attempt });
                notify();
              }),
            );
          }
        })
        .catch((e: unknown) => this.opts.log?.(`run ${runId}: item ${item.id} failed unexpectedly: ${String(e)}`))
        .finally(() => {
          running--;
          this.inFlight.set(runId, running);
          inFlight.set(provider, inFlight.get(provider)! - 1);
          void progress();
          notify();
        });
    };

    while (!signal.aborted) {
      // Start every queued item that both limits allow, in order, skipping busy providers.
      while (running < settings.concurrency) {
        const item = queue.take((provider) => (inFlight.get(provider) ?? 0) < settings.perProviderConcurrency);
        if (item === null) break;
        launch(item);
      }
      if (running === 0 && queue.size === 0) {
        const pendingRetries = delayed.length;
        await Promise.all(delayed.splice(0));
        if (pendingRetries === 0 && queue.size === 0) break;
        continue;
      }
      await new Promise<void>((resolve) => {
        const onStop = () => resolve();
        wake = () => {
          signal.removeEventListener('abort', onStop);
          resolve();
        };
        signal.addEventListener('abort', onStop, { once: true });
      });
    }
    // On a stop, wait for the items in flight (they are aborted and return to pending).
    while (running > 0) await new Promise<void>((resolve) => (wake = resolve));
    const counts = await this.db.selectFrom('run_item').select(['status']).where('run_id', '=', runId).execute();
    const unfinished = counts.some((c) => c.status === 'pending' || c.status === 'running');
    const status =
      signal.aborted && unfinished
        ? 'stopped'
        : counts.some((c) => c.status === 'failed') && !counts.some((c) => c.status === 'done')
          ? 'failed'
          : unfinished
            ? 'stopped'
            : 'completed';
    await this.db
      .updateTable('run')
      .set({ status, finished_at: new Date().toISOString() })
      .where('id', '=', runId)
      .execute();
    await progress(true);
  }

  /** One item: from the cache or the target model, then the judge; committed as one transaction. */
  private async runItem(
    item: QueuedItem,
    settings: RunSettings,
    judge: JudgeVersion | null,
    signal: AbortSignal,
  ): Promise<'done' | 'retry' | 'failed' | 'aborted'> {
    const redact = this.opts.redact ?? ((text: string) => text);
    const fail = async (error: string) => {
      await this.db
        .updateTable('run_item')
        .set({
          status: 'failed',
          error: redact(error),
          attempts: item.attempts + 1,
          finished_at: new Date().toISOString(),
        })
        .where('id', '=', item.id)
        .execute();
      return 'failed' as const;
    };
    const resolved = this.models.resolve(item.model);
    if (!resolved.ok) return fail(resolved.message);
    const callRetries = {
      maxAttempts: settings.maxAttempts,
      backoffBaseMs: this.opts.backoffBaseMs ?? 500,
      onRetry: () => this.countRetry(item.run_id),
    };
    const target = retryingModel(resolved.model, callRetries);
    const { scenario_content: scenarioContent } = await this.db
      .selectFrom('run_item')
      .select('scenario_content')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    const { scenario: written, diagnostics } = checkScenarioText(scenarioContent, { taxonomy: this.corpus.taxonomy });
    // The item's variant, expanded: what the model and the judge read (the file as written without variables).
    const chosen = written && resolveVariant(written, { values: storedVariantValues(item.variant_values) });
    if (chosen && !chosen.ok) return fail(chosen.message);
    const scenario = chosen?.scenario ?? null;
    if (!scenario) {
      // Say what the check found (a retired behaviour, a refused pattern, a limit), not a guess at it.
      const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
      const where = first ? ` (line ${first.line}, column ${first.column}: ${first.message})` : '';
      return fail(`the scenario text of this item no longer passes the scenario checks${where}`);
    }
    // No "running" write: an item is pending until its one final commit (a crash redoes it).

    const params = target.config.params ?? {};
    const cacheKey = createHash('sha256')
      // A variant's values are part of the key (its file text is its siblings'); without variables the key is as before.
      .update(
        JSON.stringify(
          item.variant_values === null
            ? [item.content_hash, item.model, params, item.repeat]
            : [item.content_hash, item.variant_values, item.model, params, item.repeat],
        ),
      )
      .digest('hex');
    if (settings.useCache) {
      const hit = await this.db
        .selectFrom('dry_run')
        .select(['id', 'input_tokens', 'output_tokens', 'cost_usd'])
        .where('cache_key', '=', cacheKey)
        .where('status', '=', 'completed')
        .executeTakeFirst();
      if (hit) {
        const verdict = judge
          ? await this.verdictFor(hit.id, judge, scenario, await readDryRunEvents(this.db, hit.id), signal, callRetries)
          : null;
        if (signal.aborted) return this.backToPending(item);
        await this.committer.commit(async (trx) => {
          if (verdict && judge) await saveJudgement(trx, hit.id, judge.id, verdict);
          await trx
            .updateTable('run_item')
            .set({
              ...this.judgeUsageColumns(judge, verdict),
              status: 'done',
              dry_run_id: hit.id,
              cached: 1,
              attempts: item.attempts + 1,
              error: null,
              finished_at: new Date().toISOString(),
            })
            .where('id', '=', item.id)
            .execute();
        });
        return 'done';
      }
    }

    // Token deltas are for live viewing; a stored run transcript keeps the whole messages only
    // (assistant-message events carry the same text), which keeps rows small and judging cheap.
    const events: TranscriptEvent[] = [];
    const dryRunId = randomUUID();
    for await (const e of runConversation({
      dryRunId,
      scenario,
      contentHash: item.content_hash,
      target: { kind: 'model', model: target, params: {} },
      helpers: this.helpers(callRetries),
      signal,
      stream: false,
      maxRetries: 0, // the retrying model retries (and counts) each failed call itself
    })) {
      if (e.type !== 'text-delta') events.push(e);
    }
    if (signal.aborted) return this.backToPending(item);
    const done = events.findLast((e) => e.type === 'done');
    const fatal = events.find((e): e is Extract<TranscriptEvent, { type: 'error' }> => e.type === 'error' && e.fatal);
    if (!done || done.status !== 'completed') {
      const transient = fatal && ITEM_RETRY.has(fatal.code);
      if (transient && item.attempts + 1 < settings.maxAttempts) {
        await this.db
          .updateTable('run_item')
          .set({ status: 'pending', attempts: item.attempts + 1, error: redact(fatal.message) })
          .where('id', '=', item.id)
          .execute();
        return 'retry';
      }
      return fail(fatal?.message ?? 'the conversation did not complete');
    }
    const verdict = judge ? await this.verdictFor(dryRunId, judge, scenario, events, signal, callRetries) : null;
    if (signal.aborted) return this.backToPending(item);
    await this.committer.commit(async (trx) => {
      const now = new Date().toISOString();
      await trx
        .insertInto('dry_run')
        .values({
          id: dryRunId,
          scenario_id: item.scenario_id,
          content_hash: item.content_hash,
          scenario_content: scenarioContent,
          variant_of: item.variant_of,
          variant_values: item.variant_values,
          model: item.model,
          params: JSON.stringify(params),
          status: 'completed',
          started_at: now,
          finished_at: now,
          input_tokens: done.inputTokens,
          output_tokens: done.outputTokens,
          cost_usd: done.costUsd,
          latency_ms: done.latencyMs,
          ttft_ms:
            events.find(
              (e): e is Extract<TranscriptEvent, { type: 'usage' }> => e.type === 'usage' && e.ttftMs !== null,
            )?.ttftMs ?? null,
          error: null,
          red_flags: events.filter((e) => e.type === 'red-flag').length,
          run_id: item.run_id,
          cache_key: cacheKey,
        })
        .execute();
      await appendDryRunEvents(trx, dryRunId, 0, events);
      if (verdict && judge) await saveJudgement(trx, dryRunId, judge.id, verdict);
      await trx
        .updateTable('run_item')
        .set({
          ...this.judgeUsageColumns(judge, verdict),
          status: 'done',
          dry_run_id: dryRunId,
          cached: 0,
          attempts: item.attempts + 1,
          error: null,
          input_tokens: done.inputTokens,
          output_tokens: done.outputTokens,
          cost_usd: done.costUsd,
          finished_at: now,
        })
        .where('id', '=', item.id)
        .execute();
    });
    return 'done';
  }

  /** What judging the item took, for its row: the judge model, tokens, and cost when the model has prices. */
  private judgeUsageColumns(
    judge: JudgeVersion | null,
    verdict: Awaited<ReturnType<RunExecutor['verdictFor']>> | null,
  ) {
    if (!judge || !verdict || !('usage' in verdict) || !verdict.usage) return {};
    const resolved = this.models.resolve(judge.settings.model);
    const price = resolved.ok ? resolved.model.config.cost : undefined;
    const { input, output } = verdict.usage;
    return {
      judge_model: judge.settings.model,
      judge_input_tokens: input,
      judge_output_tokens: output,
      judge_cost_usd: price ? (input * price.input_per_mtok + output * price.output_per_mtok) / 1_000_000 : null,
    };
  }

  /** Adds one provider retry to the run's count (with the next group commit). */
  private countRetry(runId: string) {
    void this.committer
      .commit((trx) =>
        trx
          .updateTable('run')
          .set((eb) => ({ retries: eb('retries', '+', 1) }))
          .where('id', '=', runId)
          .execute()
          .then(() => undefined),
      )
      .catch((e: unknown) => this.opts.log?.(`run ${runId}: a retry was not counted: ${String(e)}`));
  }

  /** The helper models, retrying (and counting) their failed calls as the target does, the SDK's retries off. */
  private helpers(callRetries: Parameters<typeof retryingModel>[1]) {
    const helper = (role: Parameters<ModelRegistry['forRole']>[0]) => {
      const model = this.models.forRole(role);
      return model && retryingModel({ ...model, config: { ...model.config, max_retries: 0 } }, callRetries);
    };
    return { referee: helper('referee'), simulator: helper('simulator'), simulatedUser: helper('simulated_user') };
  }

  /** The stored verdict of this judge version, or a new one (judge errors are stored as errors). */
  private async verdictFor(
    transcriptId: string,
    judge: JudgeVersion,
    scenario: NonNullable<ReturnType<typeof checkScenarioText>['scenario']>,
    events: TranscriptEvent[],
    signal: AbortSignal,
    callRetries: Parameters<typeof retryingModel>[1],
  ) {
    const existing = await this.db
      .selectFrom('judgement')
      .select('id')
      .where('transcript_id', '=', transcriptId)
      .where('judge_version_id', '=', judge.id)
      .where('status', '=', 'scored')
      .executeTakeFirst();
    if (existing) return null;
    const model: { ok: true; model: ResolvedModel } | { ok: false; message: string } = this.models.resolve(
      judge.settings.model,
    );
    if (!model.ok) return { status: 'error' as const, error: model.message, attempts: 0, samples: [] };
    const judgeModel = retryingModel(model.model, callRetries);
    return judgeTranscript(judgeModel, judge.settings, scenario, events, signal, { maxRetries: 0 }).catch(
      (e: unknown) => ({
        status: 'error' as const,
        error: String(e),
        attempts: 1,
        samples: [] as number[],
      }),
    );
  }

  private async backToPending(item: QueuedItem): Promise<'aborted'> {
    await this.db.updateTable('run_item').set({ status: 'pending' }).where('id', '=', item.id).execute();
    return 'aborted';
  }
}
