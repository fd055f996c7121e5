/** Authoring status as a coloured pill. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge status-${status}`} data-testid="status-badge">
      {status}
    </span>
  );
}

export function DifficultyBadge({ difficulty }: { difficulty: string }) {
  return (
    <span className={`difficulty difficulty-${difficulty}`} title={`difficulty: ${difficulty}`}>
      {difficulty}
    </span>
  );
}

/** Error and warning counts; nothing when the file is clean. */
export function ProblemBadge({ errors, warnings }: { errors: number; warnings: number }) {
  return (
    <>
      {errors > 0 && (
        <span
          className="badge badge-error"
          data-testid="error-badge"
          title={`${errors} error${errors === 1 ? '' : 's'}`}
        >
          {errors} {errors === 1 ? 'error' : 'errors'}
        </span>
      )}
      {warnings > 0 && (
        <span className="badge badge-warning" title={`${warnings} warning${warnings === 1 ? '' : 's'}`}>
          {warnings} {warnings === 1 ? 'warning' : 'warnings'}
        </span>
      )}
    </>
  );
}
