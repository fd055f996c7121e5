import { lazy, Suspense, useEffect, useRef } from 'react';
import type { DiskVersion } from './scenarioSession.ts';
import styles from './scenario.module.css';

const ConflictDiff = lazy(() => import('./editor/ConflictDiff.tsx'));

interface ConflictViewProps {
  theirs: DiskVersion | null;
  mine: string;
  cause: 'save' | 'compare';
  onKeepMine(): void;
  onLoadTheirs(): void;
  onSaveAsNew(): void;
  onClose(): void;
}

/**
 * Both versions side by side when the file on disk moved on: the user chooses, nothing is
 * dropped silently. "Keep mine" rebases the editor's text on their version: the next save replaces
 * theirs, which the button says, so nobody overwrites a colleague's change without knowing.
 */
export function ConflictView({
  theirs,
  mine,
  cause,
  onKeepMine,
  onLoadTheirs,
  onSaveAsNew,
  onClose,
}: ConflictViewProps) {
  const ref = useRef<HTMLElement>(null);
  // Take focus from the editor underneath, so typing does not go on unseen.
  useEffect(() => ref.current?.querySelector<HTMLButtonElement>('.btn-primary')?.focus(), []);
  return (
    <section
      ref={ref}
      className={styles.conflict}
      role="region"
      aria-label="Conflict"
      data-testid="conflict-view"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header className={styles.conflictHeader}>
        <div>
          <h2>
            {cause === 'save'
              ? 'Not saved: this scenario changed since you opened it'
              : 'Your text and the version on disk'}
          </h2>
          <p className="muted">
            {theirs
              ? 'Someone else saved it, or the file was edited on disk. Left: their version on disk. Right: yours (unsaved, still in your editor).'
              : 'The file was deleted or moved on disk. Your text is still in your editor.'}
          </p>
        </div>
        <div className={styles.conflictActions}>
          {theirs ? (
            <>
              <button
                type="button"
                className="btn btn-primary"
                data-testid="conflict-keep-mine"
                onClick={onKeepMine}
                title="Your text stays in the editor; your next save replaces their version on disk"
              >
                Keep mine: my next save overwrites theirs
              </button>
              <button
                type="button"
                className="btn btn-danger"
                data-testid="conflict-load-theirs"
                onClick={onLoadTheirs}
              >
                Discard mine, load theirs
              </button>
            </>
          ) : (
            <button type="button" className="btn btn-primary" data-testid="conflict-save-as-new" onClick={onSaveAsNew}>
              Save mine as a new file
            </button>
          )}
          <button type="button" className="btn" data-testid="conflict-close" onClick={onClose}>
            Back to my text
          </button>
        </div>
      </header>
      {theirs && (
        <>
          <div className={styles.conflictLabels}>
            <span>Theirs: on disk now</span>
            <span>Yours: unsaved</span>
          </div>
          <Suspense fallback={<div className={`${styles.diffHost} loading-block`}>Loading comparison…</div>}>
            <ConflictDiff theirs={theirs.content} mine={mine} />
          </Suspense>
        </>
      )}
    </section>
  );
}
