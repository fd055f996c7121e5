import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { HUMAN_MODEL } from '../../../../schema/api/dryruns.ts';
import { CompareDialog } from './CompareDialog.tsx';
import { CostEstimateLine } from './CostEstimateLine.tsx';
import { dryRunKeys } from '../../api/queryKeys.ts';
import { fetchDryRuns, modelsQuery } from './dryrun.api.ts';
import { DryRunHistory } from './DryRunHistory.tsx';
import { EscalationCard } from './EscalationCard.tsx';
import { ModelInfoLine, ModelPicker } from './ModelPicker.tsx';
import { NoModelsHelp } from './NoModelsHelp.tsx';
import { RunFailure } from './RunFailure.tsx';
import { SavedTranscript } from './SavedTranscript.tsx';
import { LiveTranscript } from './LiveTranscript.tsx';
import { useContentHash } from './useContentHash.ts';
import { useEscalation } from './useEscalation.ts';
import { useLiveDryRun } from './useLiveDryRun.ts';
import styles from './dryrun.module.css';

interface DryRunPanelProps {
  scenarioId: string;
  /** The editor's text now (unsaved edits included): what Run sends. */
  text: string;
  /** Increments each time the page asks for a run (Ctrl/Cmd+Enter). */
  runRequest: number;
  /** The variant to run (the one the preview shows), when the scenario has variables. */
  variant?: string | null;
}

const MODEL_KEY = 'crucible.dryrun.model';

/**
 * The dry-run panel of the scenario editor: pick a model, run the editor's text, watch the
 * transcript stream in, stop it; reopen, export, delete and compare stored runs; draft the next
 * pressure turn. Esc stops a running dry-run.
 */
export default function DryRunPanel({ scenarioId, text, runRequest, variant = null }: DryRunPanelProps) {
  const textRef = useRef(text);
  textRef.current = text;
  const variantRef = useRef(variant);
  variantRef.current = variant;
  const currentHash = useContentHash(text);
  const models = useQuery({ ...modelsQuery(), staleTime: 60_000 });
  const runs = useQuery({
    queryKey: dryRunKeys.list(scenarioId),
    queryFn: ({ signal }) => fetchDryRuns(scenarioId, signal),
  });
  const live = useLiveDryRun(scenarioId);

  const [chosen, setChosen] = useState<string | null>(() => localStorage.getItem(MODEL_KEY));
  const modelList = models.data?.models ?? [];
  const model =
    chosen === HUMAN_MODEL || modelList.some((m) => m.id === chosen)
      ? chosen!
      : (modelList.find((m) => m.ready)?.id ?? modelList[0]?.id ?? HUMAN_MODEL);
  const modelInfo = modelList.find((m) => m.id === model);
  const canRun = !!models.data && !live.running && (model === HUMAN_MODEL || !!modelInfo?.ready);
  const choose = (id: string) => {
    setChosen(id);
    localStorage.setItem(MODEL_KEY, id);
  };

  const [section, setSection] = useState<'transcript' | 'history'>('transcript');
  const [openedId, setOpenedId] = useState<string | null>(null);
  const [compareIds, setCompareIds] = useState<[string, string] | null>(null);
  const escalation = useEscalation(scenarioId);

  const { running, start, stop } = live;
  const run = useCallback(
    (target = model) => {
      if (running) return;
      setOpenedId(null);
      setSection('transcript');
      start(textRef.current, target, undefined, variantRef.current);
    },
    [running, start, model],
  );

  // Ctrl/Cmd+Enter on the page: run as soon as the models are known.
  const handledRequest = useRef(0);
  useEffect(() => {
    if (runRequest === handledRequest.current || !models.data) return;
    handledRequest.current = runRequest;
    if (canRun) run();
    else setSection('transcript');
  }, [runRequest, models.data, canRun, run]);

  // Esc stops a running dry-run (unless a dialog, a form of the panel or the editor's own widgets took the key).
  useEffect(() => {
    if (!running) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) return;
      if (e.target instanceof Element && e.target.closest('[data-own-shortcuts]')) return; // typing a reply or a turn
      stop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [running, stop]);

  // Follow the transcript as it grows, unless the author has scrolled up to read.
  const bodyRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useLayoutEffect(() => {
    if (openedId && bodyRef.current) bodyRef.current.scrollTop = 0; // a reopened transcript reads from its start
  }, [openedId]);
  useLayoutEffect(() => {
    const el = bodyRef.current;
    if (el && live.running && stick.current && section === 'transcript' && !openedId) el.scrollTop = el.scrollHeight;
  }, [live.run.view, live.running, section, openedId]);

  const noModels = models.data && models.data.models.length === 0;
  // Before a run here, the Transcript tab shows the newest stored run (a reload keeps what was there).
  const latestSaved = runs.data?.find((r) => r.status !== 'running')?.id ?? null;
  return (
    <div className={styles.dryrun} data-testid="dryrun-panel">
      <div className={styles.dryrunToolbar}>
        {models.data ? (
          <ModelPicker models={modelList} value={model} onChange={choose} disabled={live.running} />
        ) : (
          <span className="muted">{models.isError ? 'Could not load the models' : 'Loading models…'}</span>
        )}
        {live.running ? (
          <button
            type="button"
            className="btn btn-danger"
            data-testid="dryrun-stop"
            onClick={live.stop}
            title="Stop the run (Esc)"
          >
            ■ Stop <kbd>Esc</kbd>
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="dryrun-run"
            disabled={!canRun}
            onClick={() => run()}
            title="Run the editor's text (Ctrl+Enter / ⌘↵)"
          >
            ▶ Run <kbd>Ctrl+↵</kbd>
          </button>
        )}
        <span className="spacer" />
        <button
          type="button"
          className="btn"
          data-testid="dryrun-escalate"
          disabled={live.running || escalation.state?.status === 'pending'}
          // From the transcript shown: a reopened run, else the last run once it has ended.
          onClick={() =>
            void escalation.draft(
              textRef.current,
              openedId ?? (live.run.phase === 'ended' ? live.run.id : null) ?? undefined,
            )
          }
          title="Ask a model to draft the next pressure turn from the scenario and the transcript shown"
        >
          Escalate…
        </button>
      </div>
      {models.data && !noModels && <ModelInfoLine models={modelList} value={model} />}
      {models.data && !noModels && !live.running && <CostEstimateLine text={text} model={model} variant={variant} />}
      {models.error && <RunFailure error={models.error} />}

      {escalation.state && (
        <EscalationCard
          key={escalation.state.status === 'drafted' ? escalation.state.draft.turn.content : escalation.state.status}
          state={escalation.state}
          onDiscard={escalation.discard}
          onAccept={escalation.accept}
        />
      )}

      <div className={styles.dryrunSections} role="tablist" aria-label="Dry-run views">
        <button
          type="button"
          role="tab"
          aria-selected={section === 'transcript'}
          className={section === 'transcript' ? `${styles.seg} active` : styles.seg}
          data-testid="dryrun-tab-transcript"
          onClick={() => setSection('transcript')}
        >
          Transcript
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={section === 'history'}
          className={section === 'history' ? `${styles.seg} active` : styles.seg}
          data-testid="dryrun-tab-history"
          onClick={() => setSection('history')}
        >
          Saved runs{runs.data ? ` (${runs.data.length})` : ''}
        </button>
      </div>

      <div
        className={styles.dryrunBody}
        ref={bodyRef}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
        }}
      >
        {section === 'history' ? (
          <DryRunHistory
            scenarioId={scenarioId}
            runs={runs.data}
            loading={runs.isLoading}
            error={runs.error}
            currentHash={currentHash}
            openedId={openedId}
            onOpen={(id) => {
              setOpenedId(id);
              setSection('transcript');
            }}
            onCompare={setCompareIds}
          />
        ) : openedId ? (
          <SavedTranscript
            id={openedId}
            closeLabel={live.run.phase === 'idle' ? 'Close' : 'Back to the last run'}
            onClose={() => setOpenedId(null)}
          />
        ) : live.run.phase !== 'idle' ? (
          <LiveTranscript run={live.run} running={live.running} onReply={live.reply} />
        ) : noModels && models.data ? (
          <NoModelsHelp
            info={models.data}
            onPlay={() => {
              choose(HUMAN_MODEL);
              run(HUMAN_MODEL);
            }}
          />
        ) : latestSaved ? (
          <SavedTranscript key={latestSaved} id={latestSaved} label="Latest saved run" />
        ) : (
          <div className={styles.dryrunEmpty} data-testid="dryrun-idle">
            Press <strong>Run</strong> (<kbd>Ctrl</kbd>+<kbd>Enter</kbd>) to run the text in the editor, saved or not,
            against the chosen model. The transcript streams in here.
          </div>
        )}
      </div>
      {compareIds && <CompareDialog ids={compareIds} currentHash={currentHash} onClose={() => setCompareIds(null)} />}
    </div>
  );
}
