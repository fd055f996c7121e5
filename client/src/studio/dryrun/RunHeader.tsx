import type { ReactNode } from 'react';
import { HUMAN_MODEL } from '../../../../schema/api/dryruns.ts';
import { exportUrl } from './dryrun.api.ts';
import { RunStatus } from './DryRunHistory.tsx';
import { paramsText } from './runFormat.ts';
import type { TranscriptView } from '../../transcript/transcriptFold.ts';
import styles from './dryrun.module.css';

interface RunHeaderProps {
  label: string;
  status: string;
  view: TranscriptView;
  id: string | null;
  /** Export is offered once the run is stored complete. */
  exportable: boolean;
  children?: ReactNode;
}

/** Which transcript is shown, its state, and the run's model and parameters. */
export function RunHeader({ label, status, view, id, exportable, children }: RunHeaderProps) {
  return (
    <div className={styles.runHeader} data-testid="run-header">
      <div className={styles.runHeaderLine}>
        <span className={styles.runHeaderLabel}>{label}</span>
        <RunStatus status={status} />
        {(status === 'running' || status === 'starting') && <span className="spinner" aria-hidden />}
        {view.start && (
          <span className="muted">
            <span className="mono">{view.start.model}</span> ·{' '}
            {view.start.model === HUMAN_MODEL ? 'played by you' : paramsText(view.start.params)}
          </span>
        )}
        <span className="spacer" />
        {view.redFlags > 0 && (
          <span className={styles.runHeaderFlags} role="status" data-testid="run-red-flags">
            ⚑ {view.redFlags} red flag{view.redFlags === 1 ? '' : 's'}
          </span>
        )}
        {id && exportable && (
          <a className="btn btn-sm" href={exportUrl(id)} download data-testid="run-export">
            Export JSON
          </a>
        )}
        {children}
      </div>
    </div>
  );
}
