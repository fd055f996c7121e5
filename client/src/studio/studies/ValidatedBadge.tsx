import './validated.css';

/** A scenario that meets the acceptance rule of a realism study on its current version. */
export function ValidatedBadge() {
  return (
    <span
      className="badge badge-validated"
      data-testid="validated-badge"
      title="Human raters judged this version realistic (it meets a realism study's acceptance rule)"
    >
      ✓ validated
    </span>
  );
}
