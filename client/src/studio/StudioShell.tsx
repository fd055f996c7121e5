import { useState, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useMe } from '../auth/useMe.ts';
import { signOut } from '../auth/signOut.ts';
import { NewScenarioDialog } from './dialogs/NewScenarioDialog.tsx';

/** The studio's frame: a top bar with the product name and global actions, then the page. */
export function StudioShell({ children }: { children: ReactNode }) {
  const [creating, setCreating] = useState(false);
  const me = useMe().data;
  const [path] = useLocation();
  const section =
    (
      ['studies', 'judges', 'calibration', 'runs', 'items', 'generation', 'releases', 'leaderboards', 'jobs'] as const
    ).find((s) => path.startsWith(`/studio/${s}`)) ?? 'scenarios';
  const navClass = (name: string) => (section === name ? 'topnav-link active' : 'topnav-link');
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/studio" className="brand" data-testid="brand-link">
          <span className="brand-mark" aria-hidden>
            ◆
          </span>{' '}
          Crucible
        </Link>
        <nav className="topnav" aria-label="Sections">
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
        <div className="topbar-spacer" />
        <button
          type="button"
          className="btn btn-primary btn-sm"
          data-testid="new-scenario"
          onClick={() => setCreating(true)}
        >
          New scenario
        </button>
        {me && (
          <span className="topbar-user" data-testid="signed-in-as">
            {me.name} <span className="topbar-role">{me.role}</span>
            <button type="button" className="btn btn-sm btn-ghost" onClick={() => void signOut()}>
              Sign out
            </button>
          </span>
        )}
      </header>
      <div className="shell-body">{children}</div>
      {creating && <NewScenarioDialog onClose={() => setCreating(false)} />}
    </div>
  );
}
