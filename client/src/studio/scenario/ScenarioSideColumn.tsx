import { lazy, Suspense } from 'react';
import styles from './scenario.module.css';
import type { SideTabs } from './useSideTabs.ts';

// The YAML parser and the dry-run panel load only when the page shows them, in their own chunks.
const ScenarioPreview = lazy(() => import('./editor/ScenarioPreview.tsx'));
const DryRunPanel = lazy(() => import('../dryrun/DryRunPanel.tsx'));

/** The column beside the editor: the scenario's live preview and its dry-runs, as two tabs. */
export function ScenarioSideColumn({ id, text, tabs }: { id: string; text: string; tabs: SideTabs }) {
  const tabClass = (tab: SideTabs['tab']) => (tabs.tab === tab ? `${styles.sideTab} ${styles.active}` : styles.sideTab);
  return (
    <aside className={styles.sideColumn} aria-label="Preview and dry run">
      <div className={styles.sideTabbar} role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={tabs.tab === 'preview'}
          className={tabClass('preview')}
          data-testid="side-tab-preview"
          onClick={tabs.showPreview}
        >
          Preview
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tabs.tab === 'dryrun'}
          className={tabClass('dryrun')}
          data-testid="side-tab-dryrun"
          onClick={tabs.showDryRun}
          title="Run the scenario against a model (Ctrl+Enter / ⌘↵)"
        >
          Dry run
        </button>
      </div>
      <div className={styles.sidePanel} role="tabpanel" hidden={tabs.tab !== 'preview'}>
        <Suspense fallback={<div className="loading-block">Loading the preview…</div>}>
          <ScenarioPreview text={text} onVariant={tabs.setVariant} />
        </Suspense>
      </div>
      {tabs.dryRunOpened && (
        <div className={`${styles.sidePanel} ${styles.sidePanelDryrun}`} role="tabpanel" hidden={tabs.tab !== 'dryrun'}>
          <Suspense fallback={<div className="loading-block">Loading the dry-run panel…</div>}>
            <DryRunPanel scenarioId={id} text={text} runRequest={tabs.runRequest} variant={tabs.variant} />
          </Suspense>
        </div>
      )}
    </aside>
  );
}
