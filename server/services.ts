import type { AppConfig } from './config.ts';
import { openNotifications } from './db/notifications.ts';
import { relayLiveEvents } from './live-events.ts';
import { JOB_KINDS } from './jobs/job-kinds.ts';
import { JobRunner } from './jobs/job.runner.ts';
import { openDatabase, type Db } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { markInterruptedDryRuns } from './dryrun/dryrun.repository.ts';
import { DryRunSessions } from './dryrun/dryrun.sessions.ts';
import { ModelRegistry } from './models/model.registry.ts';
import { loadModelsConfig } from './models/models.config.ts';
import type { Redactor } from './models/redact.ts';
import { RunExecutor } from './runs/run.executor.ts';
import { runPlacementFrom } from './runs/run-placement.ts';
import { ScenarioCorpus } from './scenarios/scenario.corpus.ts';
import type { IndexReport } from './scenarios/scenario.indexer.ts';
import { jobRunnerSettings } from './jobs/job-settings.ts';
import { runningRunIds } from './runs/run.repository.ts';

/** Everything the app runs on, opened from the configuration (the server and tests share this). */
export interface Services {
  config: AppConfig;
  db: Db;
  corpus: ScenarioCorpus;
  models: ModelRegistry;
  sessions: DryRunSessions;
  runs: RunExecutor;
  /** Background jobs (server/jobs/job-kind.ts): `enqueue` one; the runner claims and runs them. */
  jobs: JobRunner;
  /** Blanks every configured key value out of a text: the hook for other text from outside (imports, generation). */
  redact: Redactor;
  /**
   * With `reconcileWhileServing`, brings the scenario index in line with the files (logging what it
   * found) and then starts the background jobs; call it once the server listens. Otherwise that
   * was done before openServices returned, and this resolves at once.
   */
  reconcileScenarios(): Promise<void>;
  /** Resumes benchmark runs a crash or a kill left running. */
  resumeInterruptedRuns(): Promise<number>;
  close(): Promise<void>;
}

export async function openServices(
  config: AppConfig,
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = console.log,
  opts: {
    /** Claim and run queued background jobs in this process (a server: yes; the command line: no). */
    runJobs?: boolean;
    /**
     * Compare the files with an index that already holds scenarios after start, while serving
     * (reconcileScenarios), not before returning: a warm start serves at once (issue 20 point 7).
     * An empty index (the first start) is still filled before returning.
     */
    reconcileWhileServing?: boolean;
  } = {},
): Promise<Services> {
  const modelsConfig = loadModelsConfig(config.modelsPath, config.secretsPath, env);
  // Key values a provider echoes back are blanked where provider texts come out of the SDK (every
  // model the registry hands out) and again where anything is written to the database.
  const models = new ModelRegistry(modelsConfig);
  const redact = models.redact;
  const db = openDatabase(config.databasePath, { redact });
  await migrateToLatest(db);
  const interrupted = await markInterruptedDryRuns(db);
  if (interrupted > 0)
    log(
      `${interrupted} dry-run(s) were cut off by the last stop; their partial transcripts are kept, marked interrupted`,
    );
  const corpus = new ScenarioCorpus(db, config.scenariosDir);
  const logIndexed = (report: IndexReport) =>
    log(
      `indexed ${report.files} scenario files from ${config.scenariosDir} (${report.indexed} read, ${report.removed} removed) in ${report.ms.toFixed(0)} ms` +
        // Where the CPU went: the main thread, and each index worker (a cold index of a big corpus).
        (report.cpu.workersMs.length > 0
          ? `; CPU: main thread ${report.cpu.mainMs} ms, workers ${report.cpu.workersMs.join(' + ')} ms`
          : ''),
    );
  const reconcileLater = opts.reconcileWhileServing === true && (await corpus.hasIndex());
  if (!reconcileLater) logIndexed(await corpus.indexAll());
  if (config.watchScenarios) {
    corpus.startWatching();
    await corpus.watching();
  }
  const sessions = new DryRunSessions();
  const runs = new RunExecutor(db, corpus, models, { log, redact, ...runPlacementFrom(env) });
  const jobs = new JobRunner({ db, corpus, models, redact }, JOB_KINDS, { log, ...jobRunnerSettings(env) });
  // Jobs read the index: with a reconciliation still to come, they start after it.
  if ((opts.runJobs ?? true) && !reconcileLater) jobs.start();
  // Several server processes on one PostgreSQL database: each one's live events reach the others.
  const notifications = await openNotifications(config.databasePath);
  const stopRelay = relayLiveEvents(notifications, corpus, runs);
  return {
    config,
    db,
    corpus,
    models,
    sessions,
    runs,
    jobs,
    async reconcileScenarios() {
      if (!reconcileLater) return;
      logIndexed(await corpus.reconcileWhileServing());
      if (opts.runJobs ?? true) jobs.start();
    },
    async resumeInterruptedRuns() {
      const interruptedRuns = await runningRunIds(db);
      for (const id of interruptedRuns) await runs.start(id);
      return interruptedRuns.length;
    },
    redact,
    async close() {
      await sessions.drain();
      await jobs.stop();
      await runs.stopAll();
      await corpus.close();
      stopRelay();
      await notifications.close();
      await db.destroy();
    },
  };
}
