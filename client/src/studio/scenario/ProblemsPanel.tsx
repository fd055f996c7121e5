import type { Diagnostic } from '../../../../schema/diagnostic.ts';
import styles from './scenario.module.css';

interface ProblemsPanelProps {
  diagnostics: Diagnostic[];
  pending: boolean;
  failed: string | null;
  onSelect(d: Diagnostic): void;
}

const SEVERITY_CLASS: Record<Diagnostic['severity'], string | undefined> = {
  error: styles.problemError,
  warning: styles.problemWarning,
};

const pathText = (path: Diagnostic['path']) =>
  path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');

/** Every problem the server finds in the current text; clicking one moves the cursor there. */
export function ProblemsPanel({ diagnostics, pending, failed, onSelect }: ProblemsPanelProps) {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return (
    <section className={styles.problems} aria-label="Problems" data-testid="problems-panel">
      <header className={styles.problemsHeader}>
        <h3>Problems</h3>
        <span className={errors ? `count ${styles.countError}` : 'count'} data-testid="problems-error-count">
          {errors} {errors === 1 ? 'error' : 'errors'}
        </span>
        <span className={warnings ? `count ${styles.countWarning}` : 'count'}>
          {warnings} {warnings === 1 ? 'warning' : 'warnings'}
        </span>
        {pending && <span className="muted">checking…</span>}
        {failed && <span className="muted">check failed: {failed}</span>}
      </header>
      {diagnostics.length === 0 ? (
        <p className={styles.problemsEmpty}>No problems: the scenario passes the schema and the corpus checks.</p>
      ) : (
        <ul className={styles.problemsList}>
          {diagnostics.map((d, i) => (
            <li key={`${d.line}:${d.column}:${i}`}>
              <button
                type="button"
                className={`${styles.problem} ${SEVERITY_CLASS[d.severity]}`}
                data-testid="problem"
                onClick={() => onSelect(d)}
              >
                <span className={styles.problemIcon} aria-label={d.severity}>
                  {d.severity === 'error' ? '✕' : '!'}
                </span>
                <span className={styles.problemMessage}>{d.message}</span>
                {d.path.length > 0 && <span className={`${styles.problemPath} mono`}>{pathText(d.path)}</span>}
                <span className={styles.problemWhere}>
                  {d.source} · {d.line}:{d.column}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
