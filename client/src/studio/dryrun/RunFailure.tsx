import { ApiError } from '../../api/client.ts';
import styles from './dryrun.module.css';

/** Why a run could not start or broke off, as the server explained it (with located problems). */
export function RunFailure({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  const issues = error instanceof ApiError ? (error.envelope.issues ?? []) : [];
  return (
    <div className={`form-error ${styles.dryrunFailure}`} role="alert" data-testid="dryrun-failure">
      <p>
        {error instanceof ApiError ? message : `The run broke off: ${message}. The transcript so far is kept below.`}
      </p>
      {issues.length > 0 && (
        <ul>
          {issues.slice(0, 8).map((i, n) => (
            <li key={n}>
              {i.line ? `line ${i.line}: ` : ''}
              {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
