import { useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { NewScenarioDialog } from './dialogs/NewScenarioDialog.tsx';

/** The studio's frame: a top bar with the product name and global actions, then the page. */
export function StudioShell({ children }: { children: ReactNode }) {
  const [creating, setCreating] = useState(false);
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/studio" className="brand" data-testid="brand-link">
          <span className="brand-mark" aria-hidden>◆</span> Crucible
        </Link>
        <nav className="topnav" aria-label="Sections">
          <Link href="/studio" className={(active) => (active ? 'topnav-link active' : 'topnav-link')}>
            Scenarios
          </Link>
        </nav>
        <div className="topbar-spacer" />
        <button type="button" className="btn btn-primary btn-sm" data-testid="new-scenario" onClick={() => setCreating(true)}>
          New scenario
        </button>
      </header>
      <div className="shell-body">{children}</div>
      {creating && <NewScenarioDialog onClose={() => setCreating(false)} />}
    </div>
  );
}
