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
  const inStudies = path.startsWith('/studio/studies');
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/studio" className="brand" data-testid="brand-link">
          <span className="brand-mark" aria-hidden>◆</span> Crucible
        </Link>
        <nav className="topnav" aria-label="Sections">
          <Link href="/studio" className={!inStudies ? 'topnav-link active' : 'topnav-link'} data-testid="nav-scenarios">
            Scenarios
          </Link>
          <Link href="/studio/studies" className={inStudies ? 'topnav-link active' : 'topnav-link'} data-testid="nav-studies">
            Studies
          </Link>
        </nav>
        <div className="topbar-spacer" />
        <button type="button" className="btn btn-primary btn-sm" data-testid="new-scenario" onClick={() => setCreating(true)}>
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
