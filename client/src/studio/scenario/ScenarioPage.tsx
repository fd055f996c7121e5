import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Link } from 'wouter';
import type { ScenarioConflict } from '../../../../schema/api/scenarios.ts';
import type { Diagnostic } from '../../../../schema/diagnostic.ts';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { ApiError } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { createScenarioText, fetchScenario, fetchStaleRatings, saveScenario } from '../../api/scenarios.api.ts';
import { useTaxonomy } from '../../api/useTaxonomy.ts';
import { StatusBadge } from '../../components/Badges.tsx';
import { ValidatedBadge } from '../studies/ValidatedBadge.tsx';
import { ScenarioActions } from '../dialogs/ScenarioActions.tsx';
import { useRunShortcut } from '../dryrun/useRunShortcut.ts';
import { ConflictView } from './ConflictView.tsx';
import { readDraft, removeDraft } from './drafts.ts';
import type { EditorHandle } from './editor/ScenarioEditor.tsx';
import { ProblemsPanel } from './ProblemsPanel.tsx';
import { ScenarioItemFigures } from '../analysis/ScenarioItemFigures.tsx';
import { initialSession, isDirty, sessionReducer } from './scenarioSession.ts';
import { SessionBanners } from './SessionBanners.tsx';
import { topLevelScalar } from './topLevelFields.ts';
import { useDiskWatch } from './useDiskWatch.ts';
import { useServerDiagnostics } from './useServerDiagnostics.ts';
import { useUnsavedGuards } from './useUnsavedGuards.ts';
import dryrunStyles from '../dryrun/dryrun.module.css';

// Monaco, monaco-yaml and the YAML parser load only here, in their own chunks.
const ScenarioEditor = lazy(() => import('./editor/ScenarioEditor.tsx'));
const ScenarioPreview = lazy(() => import('./editor/ScenarioPreview.tsx'));
const DryRunPanel = lazy(() => import('../dryrun/DryRunPanel.tsx'));

/** /studio/scenarios/:id: the YAML editor, its live preview and problems, dry-runs, saving and file actions. */
export function ScenarioPage({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const taxonomy = useTaxonomy();
  const doc = useQuery({
    queryKey: queryKeys.scenario(id),
    queryFn: ({ signal }) => fetchScenario(id, signal),
    staleTime: Infinity,
    gcTime: 0,
    retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
  });
  const [session, dispatch] = useReducer(sessionReducer, undefined, initialSession);
  const stateRef = useRef(session);
  stateRef.current = session;
  const dirty = isDirty(session);
  const editorHandle = useRef<EditorHandle | null>(null);
  const [loadedDoc, setLoadedDoc] = useState<{ text: string; diagnostics: Diagnostic[] } | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  // A save that would make realism ratings stale waits for a confirmation of that very text.
  const [staleWarning, setStaleWarning] = useState<{
    text: string;
    ratings: number;
    studies: { id: string; name: string; ratings: number }[];
  } | null>(null);
  // The side column: the preview, or the dry-run panel (mounted on first use, then kept so a run goes on behind the preview).
  const [sideTab, setSideTab] = useState<'preview' | 'dryrun'>('preview');
  // The variant the preview shows: a dry-run runs the same one (null: the scenario has no variables).
  const [variant, setVariant] = useState<string | null>(null);
  const [dryRunOpened, setDryRunOpened] = useState(false);
  const [runRequest, setRunRequest] = useState(0);
  const showDryRun = () => {
    setSideTab('dryrun');
    setDryRunOpened(true);
  };
  useRunShortcut(() => {
    showDryRun();
    setRunRequest((n) => n + 1);
  });

  // The document initialises the session once; later versions arrive only when the user asks.
  useEffect(() => {
    if (!doc.data || loadedDoc) return;
    dispatch({
      type: 'loaded',
      content: doc.data.content,
      hash: doc.data.hash,
      relPath: doc.data.relPath,
      draft: readDraft(id),
    });
    setLoadedDoc({ text: doc.data.content, diagnostics: doc.data.diagnostics });
  }, [doc.data, loadedDoc, id]);
  const ready = loadedDoc !== null;

  const checks = useServerDiagnostics(id, session.text, loadedDoc);

  const withBusy = useDiskWatch(id, ready, stateRef, dispatch);
  const markLeaving = useUnsavedGuards(id, ready, session, stateRef);

  const refreshLists = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.scenarioLists });
    void queryClient.invalidateQueries({ queryKey: queryKeys.taxonomy, exact: true });
  }, [queryClient]);

  const showFlash = (message: string) => {
    setFlash(message);
    setTimeout(() => setFlash((f) => (f === message ? null : f)), 2500);
  };

  const save = useCallback(
    async (confirmedText?: string) => {
      const s = stateRef.current;
      if (!ready || s.saving || s.conflict) return;
      if (!isDirty(s)) {
        showFlash('No changes to save');
        return;
      }
      const sentText = s.text;
      setStaleWarning(null);
      if (confirmedText !== sentText) {
        // Only edits that change what raters saw make ratings stale; say so before, not after.
        const preview = await fetchStaleRatings(id, sentText).catch(() => null);
        if (preview && preview.ratings > 0) {
          setStaleWarning({ text: sentText, ...preview });
          return;
        }
      }
      dispatch({ type: 'saveStarted' });
      await withBusy(async () => {
        try {
          const result = await saveScenario(id, sentText, s.baseHash);
          dispatch({ type: 'saved', sentText, hash: result.hash, relPath: result.relPath });
          if (stateRef.current.text === sentText) removeDraft(id);
          showFlash('Saved');
          refreshLists();
          // Whether it is still validated (an edit raters do not see keeps it so).
          void queryClient.invalidateQueries({ queryKey: queryKeys.scenario(id) });
        } catch (e) {
          if (e instanceof ApiError && e.envelope.code === 'conflict') {
            dispatch({ type: 'conflict', theirs: (e.body as ScenarioConflict).current ?? null, cause: 'save' });
          } else {
            dispatch({ type: 'failed', ...failureOf(e, 'Not saved') });
          }
        }
      });
    },
    [id, ready, withBusy, refreshLists, queryClient],
  );

  // Ctrl/Cmd+S anywhere on the page (capture phase: before Monaco or the browser see it).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        e.stopPropagation();
        void save();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [save]);

  // --- Conflict and disk-change choices ------------------------------------------------------
  const reloadFromDisk = async () => {
    try {
      const d = await fetchScenario(id);
      dispatch({ type: 'loadTheirs', theirs: { content: d.content, hash: d.hash } });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) dispatch({ type: 'diskChanged', theirs: null });
      else dispatch({ type: 'failed', ...failureOf(e, 'Could not reload') });
    }
  };
  const compareWithDisk = () => {
    const theirs = session.diskChange?.theirs ?? null;
    dispatch({ type: 'conflict', theirs, cause: 'compare' });
  };
  const saveAsNew = async () => {
    await withBusy(async () => {
      try {
        await createScenarioText(stateRef.current.text);
        dispatch({ type: 'closeConflict' });
        refreshLists();
        void reloadFromDisk();
      } catch (e) {
        dispatch({ type: 'closeConflict' });
        dispatch({ type: 'failed', ...failureOf(e, 'Not saved') });
      }
    });
  };

  // --- Header values (read without a YAML parser) --------------------------------------------
  const title = topLevelScalar(session.text, 'title') ?? id;
  const category = topLevelScalar(session.text, 'category');
  const behavior = topLevelScalar(session.text, 'behavior');
  const status = topLevelScalar(session.text, 'status') ?? 'draft';
  useDocumentTitle(`${dirty ? '● ' : ''}${id}`);
  const problems = useMemo(
    () => mergeProblems(checks.diagnostics, session.error?.issues ?? []),
    [checks.diagnostics, session.error],
  );

  if (doc.isError && !ready) {
    const notFound = doc.error instanceof ApiError && doc.error.status === 404;
    return (
      <main className="page-message" data-testid="scenario-missing">
        <h1>{notFound ? 'No such scenario' : 'Could not open the scenario'}</h1>
        <p>{doc.error.message}</p>
        <Link href="/studio">Back to the scenarios</Link>
      </main>
    );
  }
  if (!ready) return <main className="page-message">Loading {id}…</main>;

  return (
    <main className="scenario-page" data-testid="scenario-page">
      <header className="scenario-header">
        <div className="scenario-heading">
          <nav className="breadcrumb" aria-label="Breadcrumb">
            <Link href="/studio">Scenarios</Link>
            {category && (
              <>
                <span aria-hidden>/</span>
                <Link href={`/studio?category=${encodeURIComponent(category)}`}>{taxonomy.categoryName(category)}</Link>
              </>
            )}
            {category && behavior && (
              <>
                <span aria-hidden>/</span>
                <Link
                  href={`/studio?category=${encodeURIComponent(category)}&behavior=${encodeURIComponent(behavior)}`}
                >
                  {taxonomy.behaviourName(behavior)}
                </Link>
              </>
            )}
          </nav>
          <h1 className="scenario-title">
            <span data-testid="scenario-title">{title}</span>
            <StatusBadge status={status} />
            {doc.data?.validated && doc.data.hash === session.baseHash && <ValidatedBadge />}
          </h1>
          <div className="scenario-sub mono" data-testid="scenario-path">
            scenarios/{session.relPath}
          </div>
          <ScenarioItemFigures id={id} />
        </div>
        <div className="scenario-toolbar">
          <span className={dirty ? 'save-state dirty' : 'save-state'} data-testid="save-state" aria-live="polite">
            {session.saving ? 'Saving…' : dirty ? '● Unsaved changes' : (flash ?? 'All changes saved')}
          </span>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="save-button"
            disabled={session.saving || !!session.conflict}
            title="Save (Ctrl+S / ⌘S)"
            onClick={() => void save()}
          >
            Save
          </button>
          <ScenarioActions
            id={id}
            baseHash={session.baseHash}
            status={status}
            dirty={dirty}
            withBusy={withBusy}
            onChanged={async () => {
              refreshLists();
              await reloadFromDisk();
            }}
            onGone={() => {
              markLeaving();
              refreshLists();
            }}
          />
        </div>
      </header>

      {staleWarning && (
        <div className="banner banner-warning" role="alertdialog" data-testid="stale-warning">
          <p>
            This edit changes what realism raters saw: <strong>{staleWarning.ratings}</strong> rating
            {staleWarning.ratings === 1 ? '' : 's'} will become stale and stop counting (
            {staleWarning.studies.map((st) => `${st.name}: ${st.ratings}`).join(', ')}).
          </p>
          <button
            type="button"
            className="btn btn-sm btn-primary"
            data-testid="stale-save-anyway"
            disabled={staleWarning.text !== session.text}
            onClick={() => void save(staleWarning.text)}
          >
            Save anyway
          </button>{' '}
          <button type="button" className="btn btn-sm" data-testid="stale-cancel" onClick={() => setStaleWarning(null)}>
            Keep editing
          </button>
        </div>
      )}
      <SessionBanners
        session={session}
        dirty={dirty}
        onRestoreDraft={() => dispatch({ type: 'restoreDraft' })}
        onDiscardDraft={() => {
          removeDraft(id);
          dispatch({ type: 'discardDraft' });
        }}
        onReload={() => void reloadFromDisk()}
        onCompare={compareWithDisk}
        onDismissError={() => dispatch({ type: 'dismissError' })}
        onShowProblems={(issues) => issues[0] && editorHandle.current?.goTo(issues[0].line, issues[0].column)}
      />

      <div className="workbench">
        <div className="editor-column">
          <div className="editor-frame">
            <Suspense fallback={<div className="monaco-host loading-block">Loading the editor…</div>}>
              <ScenarioEditor
                id={id}
                value={session.text}
                onChange={(text) => dispatch({ type: 'edited', text })}
                diagnostics={checks.diagnostics}
                handleRef={editorHandle}
              />
            </Suspense>
          </div>
          <ProblemsPanel
            diagnostics={problems}
            pending={checks.pending}
            failed={checks.failed}
            onSelect={(d) => editorHandle.current?.goTo(d.line, d.column)}
          />
        </div>
        <aside className="preview-column side-tabs" aria-label="Preview and dry run">
          <div className={dryrunStyles.sideTabbar} role="tablist">
            <button
              type="button"
              role="tab"
              aria-selected={sideTab === 'preview'}
              className={sideTab === 'preview' ? `${dryrunStyles.sideTab} active` : dryrunStyles.sideTab}
              data-testid="side-tab-preview"
              onClick={() => setSideTab('preview')}
            >
              Preview
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={sideTab === 'dryrun'}
              className={sideTab === 'dryrun' ? `${dryrunStyles.sideTab} active` : dryrunStyles.sideTab}
              data-testid="side-tab-dryrun"
              onClick={showDryRun}
              title="Run the scenario against a model (Ctrl+Enter / ⌘↵)"
            >
              Dry run
            </button>
          </div>
          <div className={dryrunStyles.sidePanel} role="tabpanel" hidden={sideTab !== 'preview'}>
            <Suspense fallback={<div className="loading-block">Loading the preview…</div>}>
              <ScenarioPreview text={session.text} onVariant={setVariant} />
            </Suspense>
          </div>
          {dryRunOpened && (
            <div
              className={`${dryrunStyles.sidePanel} ${dryrunStyles.sidePanelDryrun}`}
              role="tabpanel"
              hidden={sideTab !== 'dryrun'}
            >
              <Suspense fallback={<div className="loading-block">Loading the dry-run panel…</div>}>
                <DryRunPanel scenarioId={id} text={session.text} runRequest={runRequest} variant={variant} />
              </Suspense>
            </div>
          )}
        </aside>
        {session.conflict && (
          <ConflictView
            theirs={session.conflict.theirs}
            mine={session.text}
            cause={session.conflict.cause}
            onKeepMine={() =>
              session.conflict?.theirs && dispatch({ type: 'keepMine', theirs: session.conflict.theirs })
            }
            onLoadTheirs={() =>
              session.conflict?.theirs && dispatch({ type: 'loadTheirs', theirs: session.conflict.theirs })
            }
            onSaveAsNew={() => void saveAsNew()}
            onClose={() => dispatch({ type: 'closeConflict' })}
          />
        )}
      </div>
    </main>
  );
}

/** A failed write as a message and, for validation failures, located problems. */
function failureOf(e: unknown, prefix: string): { message: string; issues: Diagnostic[] } {
  if (!(e instanceof ApiError))
    return { message: `${prefix}: ${e instanceof Error ? e.message : String(e)}`, issues: [] };
  const issues: Diagnostic[] = (e.envelope.issues ?? []).map((i) => ({
    severity: 'error',
    source: 'schema',
    message: i.message,
    path: i.path ?? [],
    line: i.line ?? 1,
    column: i.column ?? 1,
    endLine: i.line ?? 1,
    endColumn: (i.column ?? 1) + 1,
  }));
  return { message: `${prefix}: ${e.message}`, issues };
}

/** The live diagnostics, plus any problem a refused save reported that they do not already show. */
function mergeProblems(live: Diagnostic[], fromSave: Diagnostic[]): Diagnostic[] {
  const seen = new Set(live.map((d) => `${d.line}:${d.message}`));
  return [...live, ...fromSave.filter((d) => !seen.has(`${d.line}:${d.message}`))];
}
