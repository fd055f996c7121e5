import type { Diagnostic } from '../../../../schema/diagnostic.ts';

interface ProblemsPanelProps {
  diagnostics: Diagnostic[];
  pending: boolean;
  failed: string | null;
  onSelect(d: Diagnostic): void;
}

const pathText = (path: Diagnostic['path']) =>
  path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');

/** Every problem the server finds in the current text; clicking one moves the cursor there. */
export function ProblemsPanel({ diagnostics, pending, failed, onSelect }: ProblemsPanelProps) {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return (
    <section className="problems" aria-label="Problems" data-testid="problems-panel">
      <header className="problems-header">
        <h3>Problems</h3>
        <span className={errors ? 'count count-error' : 'count'} data-testid="problems-error-count">
          {errors} {errors === 1 ? 'error' : 'errors'}
        </span>
        <span className={warnings ? 'count count-warning' : 'count'}>
          {warnings} {warnings === 1 ? 'warning' : 'warnings'}
        </span>
        {pending && <span className="muted">checking…</span>}
        {failed && <span className="muted">check failed: {failed}</span>}
      </header>
      {diagnostics.length === 0 ? (
        <p className="problems-empty">No problems: the scenario passes the schema and the corpus checks.</p>
      ) : (
        <ul className="problems-list">
          {diagnostics.map((d, i) => (
            <li key={`${d.line}:${d.column}:${i}`}>
              <button
                type="button"
                className={`problem problem-${d.severity}`}
                data-testid="problem"
                onClick={() => onSelect(d)}
              >
                <span className="problem-icon" aria-label={d.severity}>
                  {d.severity === 'error' ? '✕' : '!'}
                </span>
                <span className="problem-message">{d.message}</span>
                {d.path.length > 0 && <span className="problem-path mono">{pathText(d.path)}</span>}
                <span className="problem-where">
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
