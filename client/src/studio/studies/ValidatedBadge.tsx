import styles from './validated.module.css';

/** A scenario that meets the acceptance rule of a realism study on its current version. */
export function ValidatedBadge() {
  return (
    <span
      className={`badge ${styles.badgeValidated}`}
      data-testid="validated-badge"
      title="Human raters judged this version realistic (it meets a realism study's acceptance rule)"
    >
      ✓ validated
    </span>
  );
}
