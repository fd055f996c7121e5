import { useState, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useMe } from '../auth/useMe.ts';
import { signOut } from '../auth/signOut.ts';
import { NewScenarioDialog } from './dialogs/NewScenarioDialog.tsx';
import styles from './StudioShell.module.css';

/** The studio's frame: a top bar with the product name and global actions, then the page. */
export function StudioShell({ children }: { children: ReactNode }) {
  const [creating, setCreating] = useState(false);
  const me = useMe().data;
  const [path] = useLocation();
  const section =
    (
      ['studies', 'judges', 'calibration', 'runs', 'items', 'generation', 'releases', 'leaderboards', 'jobs'] as const
    ).find((s) => path.startsWith(`/studio/${s}`)) ?? 'scenarios';
  const navClass = (name: string) => (section === name ? `${styles.topnavLink} ${styles.active}` : styles.topnavLink);
  return (
    <div className={styles.shell}>
      <header className={styles.topbar}>
        <Link href="/studio" className={styles.brand} data-testid="brand-link">
          <span className={styles.brandMark} aria-hidden>
            ◆
          </span>{' '}
          Crucible
        </Link>
        <nav className={styles.topnav} aria-label="Sections">
          <Link href="/studio" className={navClass('scenarios')} data-testid="nav-scenarios">
            Scenarios
          </Link>
          <Link href="/studio/studies" className={navClass('studies')} data-testid="nav-studies">
            Studies
          </Link>
          <Link href="/studio/judges" className={navClass('judges')} data-testid="nav-judges">
            Judges
          </Link>
          <Link href="/studio/calibration" className={navClass('calibration')} data-testid="nav-calibration">
            Calibration
          </Link>
          <Link href="/studio/runs" className={navClass('runs')} data-testid="nav-runs">
            Runs
          </Link>
          <Link href="/studio/items" className={navClass('items')} data-testid="nav-items">
            Items
          </Link>
          <Link href="/studio/generation" className={navClass('generation')} data-testid="nav-generation">
            Generation
          </Link>
          <Link href="/studio/releases" className={navClass('releases')} data-testid="nav-releases">
            Releases
          </Link>
          <Link href="/studio/leaderboards" className={navClass('leaderboards')} data-testid="nav-leaderboards">
            Leaderboards
          </Link>
          <Link href="/studio/jobs" className={navClass('jobs')} data-testid="nav-jobs">
            Jobs
          </Link>
        </nav>
        <div className="spacer" />
        <button
          type="button"
          className="btn btn-primary btn-sm"
          data-testid="new-scenario"
          onClick={() => setCreating(true)}
        >
          New scenario
        </button>
        {me && (
          <span className={styles.topbarUser} data-testid="signed-in-as">
            {me.name} <span className={styles.topbarRole}>{me.role}</span>
            <button type="button" className="btn btn-sm btn-ghost" onClick={() => void signOut()}>
              Sign out
            </button>
          </span>
        )}
      </header>
      <div className={styles.shellBody}>{children}</div>
      {creating && <NewScenarioDialog onClose={() => setCreating(false)} />}
    </div>
  );
}
