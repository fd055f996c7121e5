import type { ScenarioChangeEvent } from '../schema/api/scenarios.ts';
import type { Notifications } from './db/notifications.ts';
import type { RunProgress } from '../schema/api/runs.ts';
import type { RunExecutor } from './runs/run.executor.ts';
import type { ScenarioCorpus } from './scenarios/scenario.corpus.ts';

const SCENARIO_CHANGE = 'crucible_scenario_change';
const TAXONOMY_CHANGE = 'crucible_taxonomy_change';
const RUN_PROGRESS = 'crucible_run_progress';
const RUN_FINISHED = 'crucible_run_finished';
const RUN_STARTED = 'crucible_run_started';

/**
 * Carries this process's live events (scenario re-indexed, taxonomy reloaded, run start, progress and end)
 * to the other server processes on the database, and theirs to this process's emitters, where the
 * studio's event streams listen. An event relayed in is not published again.
 */
export function relayLiveEvents(notifications: Notifications, corpus: ScenarioCorpus, runs: RunExecutor): () => void {
  let relaying = false;
  const relayIn =
    <A extends unknown[]>(emit: (...args: A) => void) =>
    (payload: unknown) => {
      relaying = true;
      try {
        emit(...(payload as A));
      } finally {
        relaying = false;
      }
    };
  const publish = (channel: string, payload: unknown[]) => {
    if (!relaying)
      notifications
        .publish(channel, payload)
        .catch((e: unknown) => console.error(`live event not sent to other processes: ${String(e)}`));
  };
  const onChange = (event: ScenarioChangeEvent) => publish(SCENARIO_CHANGE, [event]);
  const onTaxonomy = () => publish(TAXONOMY_CHANGE, []);
  const onProgress = (runId: string, progress: RunProgress) => publish(RUN_PROGRESS, [runId, progress]);
  const onFinished = (runId: string) => publish(RUN_FINISHED, [runId]);
  const onStarted = (runId: string) => publish(RUN_STARTED, [runId]);
  corpus.events.on('change', onChange);
  corpus.events.on('taxonomy', onTaxonomy);
  runs.events.on('progress', onProgress);
  runs.events.on('finished', onFinished);
  runs.events.on('started', onStarted);
  const unsubscribe = [
    notifications.subscribe(
      SCENARIO_CHANGE,
      relayIn((e: ScenarioChangeEvent) => corpus.events.emit('change', e)),
    ),
    notifications.subscribe(
      TAXONOMY_CHANGE,
      relayIn(() => corpus.events.emit('taxonomy')),
    ),
    notifications.subscribe(
      RUN_PROGRESS,
      relayIn((id: string, p: RunProgress) => runs.events.emit('progress', id, p)),
    ),
    notifications.subscribe(
      RUN_FINISHED,
      relayIn((id: string) => runs.events.emit('finished', id)),
    ),
    // Run workers wake on it instead of waiting for their next look (run-worker.ts).
    notifications.subscribe(
      RUN_STARTED,
      relayIn((id: string) => runs.events.emit('started', id)),
    ),
  ];
  return () => {
    corpus.events.off('change', onChange);
    corpus.events.off('taxonomy', onTaxonomy);
    runs.events.off('progress', onProgress);
    runs.events.off('finished', onFinished);
    runs.events.off('started', onStarted);
    for (const u of unsubscribe) u();
  };
}
