import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { HUMAN_MODEL, type EscalateResponse } from '../../../../schema/api/dryruns.ts';
import { CompareDialog } from './CompareDialog.tsx';
import { draftEscalation, dryRunKeys, fetchDryRun, fetchDryRuns, fetchModels } from './dryrun.api.ts';
import { DryRunHistory } from './DryRunHistory.tsx';
import { EscalationCard } from './EscalationCard.tsx';
import { insertTurnInEditor } from './editorInsertion.ts';
import { ModelInfoLine, ModelPicker } from './ModelPicker.tsx';
import { NoModelsHelp } from './NoModelsHelp.tsx';
import { RunFailure } from './RunFailure.tsx';
import { RunHeader } from './RunHeader.tsx';
import { TranscriptView } from './TranscriptView.tsx';
import { applyEvents, emptyTranscript } from './transcriptView.ts';
import { useContentHash } from './useContentHash.ts';
import { useLiveDryRun, type LiveRun } from './useLiveDryRun.ts';

interface DryRunPanelProps {
  scenarioId: string;
  /** The editor's text now (unsaved edits included): what Run sends. */
  text: string;
  /** Increments each time the page asks for a run (Ctrl/Cmd+Enter). */
  runRequest: number;
}

type Escalation = { status: 'pending' } | { status: 'failed'; message: string } | { status: 'drafted'; draft: EscalateResponse };

const MODEL_KEY = 'crucible.dryrun.model';

/**
 * The dry-run panel of the scenario editor: pick a model, run the editor's text, watch the
 * transcript stream in, stop it; reopen, export, delete and compare stored runs; draft the next
 * pressure turn. Esc stops a running dry-run.
 */
export default function DryRunPanel({ scenarioId, text, runRequest }: DryRunPanelProps) {
  const textRef = useRef(text);
  textRef.current = text;
  const currentHash = useContentHash(text);
  const models = useQuery({ queryKey: dryRunKeys.models, queryFn: ({ signal }) => fetchModels(signal), staleTime: 60_000 });
  const runs = useQuery({ queryKey: dryRunKeys.list(scenarioId), queryFn: ({ signal }) => fetchDryRuns(scenarioId, signal) });
  const live = useLiveDryRun(scenarioId);

  const [chosen, setChosen] = useState<string | null>(() => localStorage.getItem(MODEL_KEY));
  const modelList = models.data?.models ?? [];
  const model = chosen === HUMAN_MODEL || modelList.some((m) => m.id === chosen) ? chosen! : (modelList.find((m) => m.ready)?.id ?? modelList[0]?.id ?? HUMAN_MODEL);
  const modelInfo = modelList.find((m) => m.id === model);
  const canRun = !!models.data && !live.running && (model === HUMAN_MODEL || !!modelInfo?.ready);
  const choose = (id: string) => {
    setChosen(id);
    localStorage.setItem(MODEL_KEY, id);
  };

  const [section, setSection] = useState<'transcript' | 'history'>('transcript');
  const [openedId, setOpenedId] = useState<string | null>(null);
  const [compareIds, setCompareIds] = useState<[string, string] | null>(null);
  const [escalation, setEscalation] = useState<Escalation | null>(null);

  const run = useCallback(
    (target = model) => {
      if (live.running) return;
      setOpenedId(null);
      setSection('transcript');
      live.start(textRef.current, target);
    },
    [live, model],
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
  const { running, stop } = live;
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

  const opened = useQuery({
    queryKey: dryRunKeys.run(openedId ?? ''),
    queryFn: ({ signal }) => fetchDryRun(openedId!, signal),
    enabled: openedId !== null,
    staleTime: Infinity,
  });
  const openedView = useMemo(() => (opened.data ? applyEvents(emptyTranscript, opened.data.events) : null), [opened.data]);

  const escalate = async () => {
    setEscalation({ status: 'pending' });
    const fromRun = openedId ?? (live.run.phase === 'ended' ? live.run.id : null) ?? undefined;
    try {
      setEscalation({ status: 'drafted', draft: await draftEscalation(textRef.current, fromRun) });
    } catch (e) {
      setEscalation({ status: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  };

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
  return (
    <div className="dryrun" data-testid="dryrun-panel">
      <div className="dryrun-toolbar">
        {models.data ? <ModelPicker models={modelList} value={model} onChange={choose} disabled={live.running} /> : <span className="muted">{models.isError ? 'Could not load the models' : 'Loading models…'}</span>}
        {live.running ? (
          <button type="button" className="btn btn-danger" data-testid="dryrun-stop" onClick={live.stop} title="Stop the run (Esc)">
            ■ Stop <kbd>Esc</kbd>
          </button>
        ) : (
          <button type="button" className="btn btn-primary" data-testid="dryrun-run" disabled={!canRun} onClick={() => run()} title="Run the editor's text (Ctrl+Enter / ⌘↵)">
            ▶ Run <kbd>Ctrl+↵</kbd>
          </button>
        )}
        <span className="row-spacer" />
        <button
          type="button"
          className="btn"
          data-testid="dryrun-escalate"
          disabled={live.running || escalation?.status === 'pending'}
          onClick={() => void escalate()}
          title="Ask a model to draft the next pressure turn from the scenario and the transcript shown"
        >
          Escalate…
        </button>
      </div>
      {models.data && !noModels && <ModelInfoLine models={modelList} value={model} />}
      {models.error && <RunFailure error={models.error} />}

      {escalation && (
        <EscalationCard
          key={escalation.status === 'drafted' ? escalation.draft.turn.content : escalation.status}
          state={escalation}
          onDiscard={() => setEscalation(null)}
          onAccept={async (turn) => {
            const result = await insertTurnInEditor(scenarioId, turn);
            if (!result.ok) return result.message;
            setEscalation(null);
            return null;
          }}
        />
      )}

      <div className="dryrun-sections" role="tablist" aria-label="Dry-run views">
        <button type="button" role="tab" aria-selected={section === 'transcript'} className={section === 'transcript' ? 'seg active' : 'seg'} data-testid="dryrun-tab-transcript" onClick={() => setSection('transcript')}>
          Transcript
        </button>
        <button type="button" role="tab" aria-selected={section === 'history'} className={section === 'history' ? 'seg active' : 'seg'} data-testid="dryrun-tab-history" onClick={() => setSection('history')}>
          Saved runs{runs.data ? ` (${runs.data.length})` : ''}
        </button>
      </div>

      <div
        className="dryrun-body"
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
          <>
            <RunHeader label="Saved run" status={opened.data?.status ?? 'loading'} view={openedView ?? emptyTranscript} id={openedId} exportable={!!opened.data && opened.data.status !== 'running'}>
              <button type="button" className="btn btn-sm" data-testid="dryrun-close-saved" onClick={() => setOpenedId(null)}>
                {live.run.phase === 'idle' ? 'Close' : 'Back to the last run'}
              </button>
            </RunHeader>
            {opened.error && <RunFailure error={opened.error} />}
            {opened.data?.error && opened.data.status !== 'stopped' && !openedView?.fatal && <div className="form-error">{opened.data.error}</div>}
            {openedView && <TranscriptView view={openedView} live={false} />}
          </>
        ) : live.run.phase === 'idle' ? (
          noModels && models.data ? (
            <NoModelsHelp info={models.data} onPlay={() => {
              choose(HUMAN_MODEL);
              run(HUMAN_MODEL);
            }} />
          ) : (
            <div className="dryrun-empty" data-testid="dryrun-idle">
              Press <strong>Run</strong> (<kbd>Ctrl</kbd>+<kbd>Enter</kbd>) to run the text in the editor, saved or not, against the chosen model. The transcript streams in here.
            </div>
          )
        ) : (
          <>
            <RunHeader label="Last run" status={liveStatus(live.run)} view={live.run.view} id={live.run.id} exportable={live.run.phase === 'ended'} />
            {live.run.failure !== null && <RunFailure error={live.run.failure} />}
            <TranscriptView view={live.run.view} live={live.running} onReply={live.reply} />
            {live.run.stopped && !live.run.view.done && (
              <div className="tx-done status-stopped" data-testid="tx-done" data-status="stopped">
                <strong>Stopped</strong> <span>by you; the transcript so far is kept.</span>
              </div>
            )}
          </>
        )}
      </div>
      {compareIds && <CompareDialog ids={compareIds} currentHash={currentHash} onClose={() => setCompareIds(null)} />}
    </div>
  );
}

function liveStatus(run: LiveRun): string {
  if (run.phase === 'connecting') return 'starting';
  if (run.phase === 'streaming') return run.view.awaitingTurn !== null ? 'your turn' : 'running';
  if (run.view.done) return run.view.done.status;
  if (run.stopped) return 'stopped';
  return run.failure ? 'failed' : 'ended';
}

