import type { Diagnostic } from '../../../../schema/diagnostic.ts';
import type { SessionState } from './scenarioSession.ts';
import styles from './scenario.module.css';

interface SessionBannersProps {
  session: SessionState;
  dirty: boolean;
  onRestoreDraft(): void;
  onDiscardDraft(): void;
  onReload(): void;
  onCompare(): void;
  onDismissError(): void;
  onShowProblems(issues: Diagnostic[]): void;
}

const timeAgo = (t: number) => {
  const s = Math.round((Date.now() - t) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return new Date(t).toLocaleString();
};

/** What needs the user's attention above the editor: a draft to restore, a change on disk, a failed save. */
export function SessionBanners({
  session,
  dirty,
  onRestoreDraft,
  onDiscardDraft,
  onReload,
  onCompare,
  onDismissError,
  onShowProblems,
}: SessionBannersProps) {
  const { draftOffer, diskChange, error } = session;
  return (
    <>
      {draftOffer && (
        <div className={`${styles.banner} ${styles.bannerInfo}`} role="status" data-testid="draft-banner">
          <span>
            Unsaved changes to this scenario from {timeAgo(draftOffer.savedAt)} were kept in this browser.
            {draftOffer.baseHash !== session.baseHash &&
              ' The file has changed since; after restoring, saving shows both versions.'}
          </span>
          <button type="button" className="btn btn-sm btn-primary" data-testid="draft-restore" onClick={onRestoreDraft}>
            Restore them
          </button>
          <button type="button" className="btn btn-sm" data-testid="draft-discard" onClick={onDiscardDraft}>
            Discard
          </button>
        </div>
      )}
      {/* While both versions are side by side, the conflict view says this already, with the choices. */}
      {diskChange && !session.conflict && (
        <div className={`${styles.banner} ${styles.bannerWarning}`} role="alert" data-testid="disk-banner">
          <span>
            {diskChange.theirs
              ? 'This scenario changed on disk (another tab, another editor or git) since you opened it.'
              : 'This scenario was deleted or moved on disk.'}
            {dirty && ' Your unsaved text is kept until you choose.'}
          </span>
          {diskChange.theirs && (
            <button type="button" className="btn btn-sm" data-testid="disk-reload" onClick={onReload}>
              {dirty ? 'Discard mine and reload' : 'Reload'}
            </button>
          )}
          <button type="button" className="btn btn-sm" data-testid="disk-compare" onClick={onCompare}>
            Compare
          </button>
        </div>
      )}
      {error && (
        <div className={`${styles.banner} ${styles.bannerError}`} role="alert" data-testid="save-error">
          <span>{error.message}</span>
          {error.issues.length > 0 && (
            <button type="button" className="btn btn-sm" onClick={() => onShowProblems(error.issues)}>
              Show the first problem
            </button>
          )}
          <button type="button" className={styles.bannerClose} aria-label="Dismiss" onClick={onDismissError}>
            ×
          </button>
        </div>
      )}
    </>
  );
}
