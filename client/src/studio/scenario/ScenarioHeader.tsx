import { Link } from 'wouter';
import type { useTaxonomy } from '../../api/useTaxonomy.ts';
import { StatusBadge } from '../../components/Badges.tsx';
import { ScenarioItemFigures } from '../analysis/ScenarioItemFigures.tsx';
import { ScenarioActions } from '../dialogs/ScenarioActions.tsx';
import { ValidatedBadge } from '../studies/ValidatedBadge.tsx';
import type { SessionState } from './scenarioSession.ts';
import { topLevelScalar } from './topLevelFields.ts';
import frame from '../../components/PageFrame.module.css';
import styles from './scenario.module.css';

interface ScenarioHeaderProps {
  id: string;
  session: SessionState;
  dirty: boolean;
  /** The save state's short note ("Saved"), if one is showing. */
  flash: string | null;
  /** The version the editor is based on is the validated one. */
  validated: boolean;
  taxonomy: ReturnType<typeof useTaxonomy>;
  onSave(): void;
  withBusy<T>(work: () => Promise<T>): Promise<T>;
  /** The file changed through an action (status): reload it. */
  onChanged(): Promise<void>;
  /** The scenario at this id is gone (renamed or deleted). */
  onGone(): void;
}

/**
 * The scenario page's header: where the scenario sits, its title and status as the editor's text
 * has them now (read without a YAML parser), and the save button and file actions.
 */
export function ScenarioHeader(props: ScenarioHeaderProps) {
  const { id, session, dirty, flash, validated, taxonomy, onSave, withBusy, onChanged, onGone } = props;
  const title = topLevelScalar(session.text, 'title') ?? id;
  const category = topLevelScalar(session.text, 'category');
  const behavior = topLevelScalar(session.text, 'behavior');
  const status = topLevelScalar(session.text, 'status') ?? 'draft';
  return (
    <header className={styles.scenarioHeader}>
      <div className={styles.scenarioHeading}>
        <ScenarioBreadcrumb category={category} behavior={behavior} taxonomy={taxonomy} />
        <h1 className={styles.scenarioTitle}>
          <span data-testid="scenario-title">{title}</span>
          <StatusBadge status={status} />
          {validated && <ValidatedBadge />}
        </h1>
        <div className={`${styles.scenarioSub} mono`} data-testid="scenario-path">
          scenarios/{session.relPath}
        </div>
        <ScenarioItemFigures id={id} />
      </div>
      <div className={styles.scenarioToolbar}>
        <span
          className={dirty ? `${styles.saveState} ${styles.dirty}` : styles.saveState}
          data-testid="save-state"
          aria-live="polite"
        >
          {session.saving ? 'Saving…' : dirty ? '● Unsaved changes' : (flash ?? 'All changes saved')}
        </span>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="save-button"
          disabled={session.saving || !!session.conflict}
          title="Save (Ctrl+S / ⌘S)"
          onClick={onSave}
        >
          Save
        </button>
        <ScenarioActions
          id={id}
          baseHash={session.baseHash}
          status={status}
          dirty={dirty}
          withBusy={withBusy}
          onChanged={onChanged}
          onGone={onGone}
        />
      </div>
    </header>
  );
}

/** Scenarios / category / behaviour, each a link to the list filtered to it. */
function ScenarioBreadcrumb({
  category,
  behavior,
  taxonomy,
}: {
  category: string | undefined;
  behavior: string | undefined;
  taxonomy: ReturnType<typeof useTaxonomy>;
}) {
  return (
    <nav className={frame.breadcrumb} aria-label="Breadcrumb">
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
          <Link href={`/studio?category=${encodeURIComponent(category)}&behavior=${encodeURIComponent(behavior)}`}>
            {taxonomy.behaviourName(behavior)}
          </Link>
        </>
      )}
    </nav>
  );
}
