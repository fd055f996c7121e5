import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter, setMaxListeners } from 'node:events';
import type { RunProgress, RunSettings } from '../../schema/api/runs.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import type { Db } from '../db/database.ts';
import { runConversation } from '../dryrun/conversation.ts';
import { appendDryRunEvents, readDryRunEvents } from '../dryrun/dryrun.repository.ts';
import { judgeTranscript } from '../judge/judge.ts';
import { findJudgeVersion, saveJudgement, storeJudgement } from '../judge/judge.repository.ts';
import { retryingModel } from '../models/call-retries.ts';
import { leanFetch } from '../models/lean-fetch.ts';
import type { ModelRegistry, ResolvedModel } from '../models/model.registry.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { checkScenarioText } from '../scenarios/scenario.check.ts';
import { resolveVariant, storedRunVariant, storedVariantValues } from '../variants/scenario-variant.ts';
import { GroupCommitter } from './group-commit.ts';
import { ItemQueue } from './item-queue.ts';
import { randomUUID as processId } from 'node:crypto';
import { finishRun, findRun, markRunRunning, markRunStopped, runProgress, settingsOf } from './run.repository.ts';
import { findCachedTranscript, hasScoredVerdict, insertRunTranscript } from './run-transcripts.repository.ts';
import {
  addRunRetry,
  backInQueue,
  claimRunItems,
  itemStatusCounts,
  leaseEnded,
  LeaseLostError,
  renewRunItemLeases,
  takeBackRunningItems,
  unfinishedItems,
  writeHeldItem,
  type QueuedItem,
} from './run-item.repository.ts';
import { ExecutorSlots, type ExecutorLimits } from './executor-slots.ts';
import { makeReaderReleasedErrorNow } from './reader-released-error.ts';
import { warmUpRunEngine, type WarmUpReport } from './run-engine-warm-up.ts';
import { CheckedScenarios } from './checked-scenarios.ts';

// Runs a benchmark run: items in parallel within an overall and a per-provider limit, every
// finished item committed in one transaction (transcript, verdict, item status) so a crash or a
// stop loses only items in flight, which run again on resume. A transient fault (429, 5xx, a
// dropped connection) is retried where it happened, call by call, with exponential backoff and
// jitter (see call-retries.ts): the conversation goes on from the failed turn. Nothing here knows
// about HTTP: the studio and the CLI both drive it.
//
// Items are claimed from the database in small batches with a lease (run-item.repository.ts), so
// several processes can share one run: the server's executor and any number of `crucible worker`
// processes (role 'worker': limits of its own, shared by every run it works on, and it never
// decides that a run stopped). A process that dies stops renewing its leases; its items are
// claimed again once they expire, and the write of each outcome is guarded by the lease, so every
// item completes exactly once.

/** Faults the call retries cannot take (a step timeout has spent its time): the item starts again later. */
const ITEM_RETRY = new Set(['timeout']);

export interface RunHandle {
  done: Promise<void>;
  stop(): void;
}

/** Runs send their provider calls over node:http (lean-fetch.ts): a third less CPU a call than fetch. */
const RUN_TRANSPORT = { fetch: leanFetch };

/** Items claimed at once, at most (small batches: a process takes no more than it can start soon). */
const CLAIM_BATCH = 16;

/**
 * Items claimed beyond the free slots: a quarter of the concurrency. A claim is a write transaction
 * (an fsync on SQLite, which blocks the process's event loop, and with several workers on one file
 * the others wait for its write lock); claiming one item per finished item made one per item, each
 * on the path between an item's end and the next one's start. With a few waiting here, a freed slot
 * starts the next item at once. Few enough that another process is not kept waiting at a run's
 * end: each process drains what it holds at the pace its slots free up, as the others do.
 */
export const claimAhead = (concurrency: number) => Math.max(1, Math.ceil(concurrency / 4));

/**
 * How few items may wait here before the next claim: it is made while items still wait (a quarter
 * of the claim-ahead), so the slot freed next starts one at once instead of waiting for the claim,
 * and it tops the queue up by most of the claim-ahead at once (5 items at a worker's 22, where
 * refilling at every slot took 2-3: 116 claims for 300 items).
 */
const refillAt = (ahead: number) => Math.floor(ahead / 4);

export interface RunExecutorOptions {
  backoffBaseMs?: number;
  log?: (line: string) => void;
  /** Blanks key values out of provider error texts before they are stored. */
  redact?: (text: string) => string;
  /**
   * How long finished items wait to be committed together (one transaction, one fsync). Default
   * 200 ms: an item's slot is free before its commit, so the wait delays no other item (and a run's
   * last items commit at once: see runItem's release), and fewer commits block the event loop less
   * (better-sqlite3 waits for the fsync on its thread) and leave more of the write lock to the
   * other processes on the database: at 50 ms a worker running 22 items of 1 s committed about
   * once per item.
   */
  commitDelayMs?: number;
  /** How long a claim on an item lasts without renewal (renewed every third of it). Default 30 s. */
  leaseMs?: number;
  /**
   * 'server' (default): runs are started, stopped and ended here, within each run's own limits.
   * 'worker': works on runs that are running (started by a server), within `limits`, shared by all
   * of them; it ends a run only once every item is finished, and never marks one stopped.
   */
  role?: 'server' | 'worker';
  /** A worker's limits (the run's settings otherwise). */
  limits?: ExecutorLimits;
  /**
   * 'server' (default): a server process runs the items of the runs it starts. 'workers': it only
   * marks them running, and `crucible worker` processes run them (CRUCIBLE_RUN_ITEMS=workers).
   */
  placement?: 'server' | 'workers';
}

export class RunExecutor {
  /** A run's progress and end; `started` when a server marks a run running (workers wake on it). */
  readonly events = new EventEmitter<{ progress: [string, RunProgress]; finished: [string]; started: [string] }>();
  private readonly active = new Map<string, RunHandle>();
  /** Items in their model calls now, in every run here (none, and a finished item's commit goes at once: see runItem). */
  private itemsInCalls = 0;
  /** Items being worked on now, per run (not written to the database: see runItem). */
  private readonly inFlight = new Map<string, number>();
  private readonly committer: GroupCommitter;
  /** This process's id on the leases it holds. */
  readonly owner = processId();
  private readonly leaseMs: number;
  /** A worker's slots, shared by every run it works on. */
  private readonly sharedSlots: ExecutorSlots | null;
  /** The items' scenario texts, each checked once (checked-scenarios.ts). */
  private readonly checkedScenarios = new CheckedScenarios();

  constructor(
    private readonly db: Db,
    private readonly corpus: ScenarioCorpus,
    private readonly models: ModelRegistry,
    private readonly opts: RunExecutorOptions = {},
  ) {
    this.events.setMaxListeners(0);
    makeReaderReleasedErrorNow();
    this.committer = new GroupCommitter(db, opts.commitDelayMs ?? 200);
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.sharedSlots = opts.limits ? new ExecutorSlots(opts.limits) : null;
  }

  /** Builds what a fresh process's first run would build in its first calls (run-engine-warm-up.ts). */
  warmUp(): Promise<WarmUpReport> {
    // Checked as an item's text is: a first run with this scenario finds its check kept.
    const check = (text: string) => this.checkedScenarios.check(text, this.corpus.taxonomy);
    return warmUpRunEngine(this.models, RUN_TRANSPORT, { db: this.db, root: this.corpus.root, check });
  }

  /** Where the items of runs started here are run: in this process, or by workers. */
  get placement(): 'server' | 'workers' {
    return this.opts.placement ?? 'server';
  }

  isRunning(runId: string): boolean {
    return this.active.has(runId);
  }

  /** How many of a run's items are being worked on right now. */
  runningItems(runId: string): number {
    return this.inFlight.get(runId) ?? 0;
  }

  /**
   * Starts (or resumes) a run; finished items are never redone. Items another process holds are
   * left to it (claimed here only once its lease expires), unless `takeOver` (the command line's
   * resume after a kill): then they are taken back at once, and their holders' writes are refused.
   * With placement 'workers', the run is only marked running, for the workers.
   */
  async start(runId: string, opts: { takeOver?: boolean } = {}): Promise<RunHandle> {
    const existing = this.active.get(runId);
    if (existing) return existing;
    const run = await findRun(this.db, runId);
    if (!run) throw new Error(`no run ${runId}`);
    const settings = settingsOf(run);
    if (opts.takeOver) await takeBackRunningItems(this.db, runId);
    if (this.opts.role !== 'worker') {
      await markRunRunning(this.db, run);
      this.events.emit('started', runId);
    }
    if (this.placement === 'workers') return { done: Promise.resolve(), stop: () => undefined };
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

  /**
   * Stops a run: here, its items in flight return to the queue; run by workers, it is marked
   * stopped and they give its items back at their next lease renewal. False when it is not running.
   */
  async stopRun(runId: string): Promise<boolean> {
    const handle = this.active.get(runId);
    if (handle) {
      handle.stop();
      await handle.done;
      return true;
    }
    if (this.placement !== 'workers') return false;
    return markRunStopped(this.db, runId);
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
    const worker = this.opts.role === 'worker';
    const slots =
      this.sharedSlots ??
      new ExecutorSlots({ concurrency: settings.concurrency, perProvider: () => settings.perProviderConcurrency });
    const providerOf = (model: string) => this.models.list().find((m) => m.id === model)?.provider ?? model;
    const queue = new ItemQueue<QueuedItem>();
    /** Items this process holds for the run: claimed, queued here or in flight, each with its own stop. */
    const held = new Map<string, AbortController>();
    let running = 0;
    let wake: (() => void) | null = null;
    const notify = () => {
      wake?.();
      wake = null;
    };
    const unsubscribe = slots.onRelease(notify);
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
    // The leases of every item held here are renewed; an item lost (this process stalled past its
    // lease and another took it) stops at once. A worker also lets go of a run a server stopped.
    const renew = async () => {
      const ids = [...held.keys()];
      const still = await renewRunItemLeases(this.db, this.owner, ids, this.leaseMs);
      for (const id of ids) if (!still.has(id)) held.get(id)?.abort();
      if (worker && (await findRun(this.db, runId))?.status !== 'running') this.active.get(runId)?.stop();
    };
    const renewal = setInterval(
      () => void renew().catch((e: unknown) => this.opts.log?.(`run ${runId}: leases not renewed: ${String(e)}`)),
      Math.max(50, this.leaseMs / 3),
    );

    const launch = (item: QueuedItem, itemStop: AbortController) => {
      const provider = providerOf(item.model);
      running++;
      this.itemsInCalls++;
      slots.take(provider);
      this.inFlight.set(runId, (this.inFlight.get(runId) ?? 0) + 1);
      // Each item has its own signal: aborted by the run's stop or by the loss of its lease.
      const relay = () => itemStop.abort();
      signal.addEventListener('abort', relay, { once: true });
      // The slot is given back once the item's model calls are over, before its commit: the next
      // item starts while this one waits for the group commit (and, with several processes on one
      // SQLite file, for the write lock), instead of after it.
      // Its stop relay goes with the slot: what is left is the commit of finished work, and the
      // run's signal then holds one listener per item in its model calls, not per item committing.
      let released = false;
      const release = () => {
        if (released) return false;
        released = true;
        this.itemsInCalls--;
        signal.removeEventListener('abort', relay);
        slots.give(provider);
        notify();
        return this.itemsInCalls === 0 && queue.size === 0;
      };
      void this.runItem(item, settings, judge, itemStop.signal, release)
        .then(async (outcome) => {
          if (outcome === 'retry') await addRunRetry(this.db, runId);
        })
        .catch((e: unknown) => {
          if (!(e instanceof LeaseLostError))
            this.opts.log?.(`run ${runId}: item ${item.id} failed unexpectedly: ${String(e)}`);
        })
        .finally(() => {
          signal.removeEventListener('abort', relay);
          held.delete(item.id);
          running--;
          this.inFlight.set(runId, (this.inFlight.get(runId) ?? 1) - 1);
          release();
          void progress();
          notify();
        });
    };

    // Start every queued item that the limits allow, in order, skipping busy providers.
    const startQueued = () => {
      while (slots.free() > 0) {
        const item = queue.take((provider) => slots.canStart(provider));
        if (item === null) break;
        const itemStop = held.get(item.id);
        // Lost while it waited here: another process has it now.
        if (itemStop && !itemStop.signal.aborted) launch(item, itemStop);
        else held.delete(item.id);
      }
    };

    try {
      while (!signal.aborted) {
        startQueued();
        // Claim a small batch when this process has room and few items of this run waiting here: the
        // free slots and a few more (see claimAhead, refillAt).
        let claimed = 0;
        const ahead = claimAhead(slots.concurrency);
        if (queue.size <= refillAt(ahead)) {
          const wanted = Math.min(CLAIM_BATCH, slots.free() + ahead - queue.size);
          const items = await claimRunItems(this.db, runId, this.owner, this.leaseMs, wanted);
          claimed = items.length;
          for (const item of items) {
            held.set(item.id, new AbortController());
            queue.push(providerOf(item.model), item);
          }
          startQueued();
        }
        let waitMs = 1000;
        if (running === 0 && queue.size === 0 && claimed === 0) {
          // Nothing here: done when no item is unfinished; otherwise other processes hold some, or
          // a backoff holds them back: look again when the earliest lease ends.
          const { count, nextLeaseEnd } = await unfinishedItems(this.db, runId);
          if (count === 0) break;
          waitMs = Math.min(1000, Math.max(20, nextLeaseEnd ? Date.parse(nextLeaseEnd) - Date.now() + 5 : 1000));
        } else if (claimed > 0 && slots.free() > 0 && queue.size === 0) continue;
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, waitMs);
          wake = done;
          signal.addEventListener('abort', done, { once: true });
        });
      }
      // On a stop, wait for the items in flight (they are aborted and return to the queue).
      while (running > 0) await new Promise<void>((resolve) => (wake = resolve));
      // Items claimed but never started go back too.
      for (let item = queue.take(() => true); item; item = queue.take(() => true))
        await writeHeldItem(this.db, item.id, this.owner, backInQueue()).catch(() => undefined);
    } finally {
      clearInterval(renewal);
      unsubscribe();
    }
    // Retries counted during the run are still in the group commit: the run's end must include them.
    await this.committer.flush();
    await this.settle(runId, signal.aborted);
    await progress(true);
  }

  /**
   * Records how a run ended once this process stops working on it. A server's stop marks it
   * stopped; a worker only ends a run whose every item is finished (and never one a server changed).
   */
  private async settle(runId: string, stopped: boolean): Promise<void> {
    const counts = await itemStatusCounts(this.db, runId);
    const unfinished = (counts.get('pending') ?? 0) + (counts.get('running') ?? 0) > 0;
    if (this.opts.role === 'worker' && unfinished) return;
    const status =
      stopped && unfinished
        ? 'stopped'
        : (counts.get('failed') ?? 0) > 0 && !counts.get('done')
          ? 'failed'
          : unfinished
            ? 'stopped'
            : 'completed';
    await finishRun(this.db, runId, status, { onlyIfRunning: this.opts.role === 'worker' });
  }

  /** One item: from the cache or the target model, then the judge; committed as one transaction. */
  private async runItem(
    item: QueuedItem,
    settings: RunSettings,
    judge: JudgeVersion | null,
    signal: AbortSignal,
    /**
     * Gives the item's slot back: its model calls are over. Answers whether its commit should go at
     * once rather than with the group: nothing else here is in its calls or waiting to start, so no
     * other outcome is coming soon to share it (a run's last items), and waiting would only delay
     * the run's end.
     */
    release: () => boolean = () => true,
  ): Promise<'done' | 'retry' | 'failed' | 'aborted'> {
    const redact = this.opts.redact ?? ((text: string) => text);
    const fail = async (error: string) => {
      await writeHeldItem(this.db, item.id, this.owner, {
        ...leaseEnded,
        status: 'failed',
        error: redact(error),
        attempts: item.attempts + 1,
        finished_at: new Date().toISOString(),
      });
      return 'failed' as const;
    };
    const resolved = this.models.resolve(item.model, RUN_TRANSPORT);
    if (!resolved.ok) return fail(resolved.message);
    const callRetries = {
      maxAttempts: settings.maxAttempts,
      backoffBaseMs: this.opts.backoffBaseMs ?? 500,
      onRetry: () => this.countRetry(item.run_id),
    };
    const target = retryingModel(resolved.model, callRetries);
    const scenarioContent = item.scenario_content;
    const { scenario: written, diagnostics } = this.checkedScenarios.check(scenarioContent, this.corpus.taxonomy);
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
    // The item is running under this process's lease (claimRunItems) until its one final commit.

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
      const hit = await findCachedTranscript(this.db, cacheKey);
      if (hit) {
        const verdict = judge
          ? await this.verdictFor(hit.id, judge, scenario, await readDryRunEvents(this.db, hit.id), signal, callRetries)
          : null;
        if (signal.aborted) return this.backToPending(item);
        await this.committer.commit({ now: release() }, async (trx) => {
          // The item first: a lost lease rolls the verdict back with it.
          await writeHeldItem(trx, item.id, this.owner, {
            ...this.judgeUsageColumns(judge, verdict),
            ...leaseEnded,
            status: 'done',
            dry_run_id: hit.id,
            cached: 1,
            attempts: item.attempts + 1,
            error: null,
            finished_at: new Date().toISOString(),
          });
          if (verdict && judge) await saveJudgement(trx, hit.id, judge.id, verdict);
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
      variant: storedRunVariant(item),
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
        // Back to the queue, claimable (by any process) once the backoff is over.
        const wait = Math.min(30_000, (this.opts.backoffBaseMs ?? 500) * 2 ** item.attempts) * (0.5 + Math.random());
        await writeHeldItem(this.db, item.id, this.owner, {
          ...backInQueue(new Date(Date.now() + wait).toISOString()),
          attempts: item.attempts + 1,
          error: redact(fatal.message),
        });
        return 'retry';
      }
      return fail(fatal?.message ?? 'the conversation did not complete');
    }
    const verdict = judge
      ? await this.verdictFor(dryRunId, judge, scenario, events, signal, callRetries, { fresh: true })
      : null;
    if (signal.aborted) return this.backToPending(item);
    await this.committer.commit({ now: release() }, async (trx) => {
      const now = new Date().toISOString();
      // The item first: if another process holds it now, nothing of this outcome is written.
      await writeHeldItem(trx, item.id, this.owner, {
        ...this.judgeUsageColumns(judge, verdict),
        ...leaseEnded,
        status: 'done',
        dry_run_id: dryRunId,
        cached: 0,
        attempts: item.attempts + 1,
        error: null,
        input_tokens: done.inputTokens,
        output_tokens: done.outputTokens,
        cost_usd: done.costUsd,
        finished_at: now,
      });
      await insertRunTranscript(trx, {
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
          events.find((e): e is Extract<TranscriptEvent, { type: 'usage' }> => e.type === 'usage' && e.ttftMs !== null)
            ?.ttftMs ?? null,
        error: null,
        red_flags: events.filter((e) => e.type === 'red-flag').length,
        run_id: item.run_id,
        cache_key: cacheKey,
      });
      await appendDryRunEvents(trx, dryRunId, 0, events);
      if (verdict && judge)
        await storeJudgement(trx, dryRunId, judge.id, verdict, {
          variant_of: item.variant_of,
          variant_values: item.variant_values,
        });
    });
    return 'done';
  }

  /** What judging the item took, for its row: the judge model, tokens, and cost when the model has prices. */
  private judgeUsageColumns(
    judge: JudgeVersion | null,
    verdict: Awaited<ReturnType<RunExecutor['verdictFor']>> | null,
  ) {
    if (!judge || !verdict || !('usage' in verdict) || !verdict.usage) return {};
    const resolved = this.models.resolve(judge.settings.model, RUN_TRANSPORT);
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
      .commit({ now: false }, (trx) => addRunRetry(trx, runId))
      .catch((e: unknown) => this.opts.log?.(`run ${runId}: a retry was not counted: ${String(e)}`));
  }

  /** The helper models, retrying (and counting) their failed calls as the target does, the SDK's retries off. */
  private helpers(callRetries: Parameters<typeof retryingModel>[1]) {
    const helper = (role: Parameters<ModelRegistry['forRole']>[0]) => {
      const model = this.models.forRole(role, RUN_TRANSPORT);
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
    /** fresh: a transcript made just now, not yet stored, which no judge can have scored (no lookup). */
    opts: { fresh?: boolean } = {},
  ) {
    if (!opts.fresh && (await hasScoredVerdict(this.db, transcriptId, judge.id))) return null;
    const model: { ok: true; model: ResolvedModel } | { ok: false; message: string } = this.models.resolve(
      judge.settings.model,
      RUN_TRANSPORT,
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

  /** A stopped item goes back to the queue (unless its lease was lost: then it is another's already). */
  private async backToPending(item: QueuedItem): Promise<'aborted'> {
    await writeHeldItem(this.db, item.id, this.owner, backInQueue()).catch((e: unknown) => {
      if (!(e instanceof LeaseLostError)) throw e;
    });
    return 'aborted';
  }
}
