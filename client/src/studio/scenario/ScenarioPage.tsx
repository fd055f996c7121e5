import { useMemo, useRef } from 'react';
import { Link } from 'wouter';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { ApiError } from '../../api/client.ts';
import { useTaxonomy } from '../../api/useTaxonomy.ts';
import { ConflictView } from './ConflictView.tsx';
import { removeDraft } from './drafts.ts';
import { EditorColumn } from './EditorColumn.tsx';
import type { EditorHandle } from './editor/ScenarioEditor.tsx';
import { mergeProblems } from './mergeProblems.ts';
import { ScenarioHeader } from './ScenarioHeader.tsx';
import { ScenarioSideColumn } from './ScenarioSideColumn.tsx';
import { SessionBanners } from './SessionBanners.tsx';
import { StaleRatingsBanner } from './StaleRatingsBanner.tsx';
import { useDiskChoices } from './useDiskChoices.ts';
import { useDiskWatch } from './useDiskWatch.ts';
import { useRefreshScenarioLists } from './useRefreshScenarioLists.ts';
import { useSaveShortcut } from './useSaveShortcut.ts';
import { useSaveWithConflict } from './useSaveWithConflict.ts';
import { useScenarioSession } from './useScenarioSession.ts';
import { useServerDiagnostics } from './useServerDiagnostics.ts';
import { useSideTabs } from './useSideTabs.ts';
import { useUnsavedGuards } from './useUnsavedGuards.ts';
import styles from './scenario.module.css';

/** /studio/scenarios/:id: the YAML editor, its live preview and problems, dry-runs, saving and file actions. */
export function ScenarioPage({ id }: { id: string }) {
  // Asked for at once, before the document, though only the header's breadcrumb names from it.
  const taxonomy = useTaxonomy();
  const scenario = useScenarioSession(id);
  const { doc, session, dispatch, stateRef, loadedDoc, ready, dirty } = scenario;
  const tabs = useSideTabs();
  const editorHandle = useRef<EditorHandle | null>(null);
  const checks = useServerDiagnostics(id, session.text, loadedDoc);
  const withBusy = useDiskWatch(id, ready, stateRef, dispatch);
  const markLeaving = useUnsavedGuards(id, ready, session, stateRef);
  const refreshLists = useRefreshScenarioLists();
  const { save, flash, staleWarning, dismissStaleWarning } = useSaveWithConflict(scenario, withBusy, refreshLists);
  useSaveShortcut(save);
  const disk = useDiskChoices(scenario, withBusy, refreshLists);
  useDocumentTitle(`${dirty ? '● ' : ''}${id}`);
  const problems = useMemo(
    () => mergeProblems(checks.diagnostics, session.error?.issues ?? []),
    [checks.diagnostics, session.error],
  );

  if (doc.isError && !ready) return <ScenarioUnavailable error={doc.error} />;
  if (!ready) return <main className="page-message">Loading {id}…</main>;

  const conflict = session.conflict;
  return (
    <main className={styles.scenarioPage} data-testid="scenario-page">
      <ScenarioHeader
        id={id}
        session={session}
        dirty={dirty}
        flash={flash}
        validated={!!doc.data?.validated && doc.data.hash === session.baseHash}
        taxonomy={taxonomy}
        onSave={() => void save()}
        withBusy={withBusy}
        onChanged={async () => {
          refreshLists();
          await disk.reloadFromDisk();
        }}
        onGone={() => {
          markLeaving();
          refreshLists();
        }}
      />
      {staleWarning && (
        <StaleRatingsBanner
          warning={staleWarning}
          text={session.text}
          onSaveAnyway={(text) => void save(text)}
          onCancel={dismissStaleWarning}
        />
      )}
      <SessionBanners
        session={session}
        dirty={dirty}
        onRestoreDraft={() => dispatch({ type: 'restoreDraft' })}
        onDiscardDraft={() => {
          removeDraft(id);
          dispatch({ type: 'discardDraft' });
        }}
        onReload={() => void disk.reloadFromDisk()}
        onCompare={disk.compareWithDisk}
        onDismissError={() => dispatch({ type: 'dismissError' })}
        onShowProblems={(issues) => issues[0] && editorHandle.current?.goTo(issues[0].line, issues[0].column)}
      />

      <div className={styles.workbench}>
        <EditorColumn
          id={id}
          text={session.text}
          onChange={(text) => dispatch({ type: 'edited', text })}
          diagnostics={checks.diagnostics}
          problems={problems}
          pending={checks.pending}
          failed={checks.failed}
          editorHandle={editorHandle}
        />
        <ScenarioSideColumn id={id} text={session.text} tabs={tabs} />
        {conflict && (
          <ConflictView
            theirs={conflict.theirs}
            mine={session.text}
            cause={conflict.cause}
            onKeepMine={() => conflict.theirs && dispatch({ type: 'keepMine', theirs: conflict.theirs })}
            onLoadTheirs={() => conflict.theirs && dispatch({ type: 'loadTheirs', theirs: conflict.theirs })}
            onSaveAsNew={() => void disk.saveAsNew()}
            onClose={() => dispatch({ type: 'closeConflict' })}
          />
        )}
      </div>
    </main>
  );
}

/** The scenario could not be opened: no such id, or the server failed. */
function ScenarioUnavailable({ error }: { error: Error }) {
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <main className="page-message" data-testid="scenario-missing">
      <h1>{notFound ? 'No such scenario' : 'Could not open the scenario'}</h1>
      <p>{error.message}</p>
      <Link href="/studio">Back to the scenarios</Link>
    </main>
  );
}
