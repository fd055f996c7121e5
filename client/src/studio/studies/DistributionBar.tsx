import styles from './studies.module.css';
/** Five tiny columns: how many raters gave 1, 2, 3, 4 and 5. */
export function DistributionBar({ counts }: { counts: number[] }) {
  const max = Math.max(1, ...counts);
  const label = counts.map((n, i) => `${i + 1}: ${n}`).join(', ');
  return (
    <span className={styles.dist} role="img" aria-label={`Ratings ${label}`} title={label}>
      {counts.map((n, i) => (
        <span
          key={i}
          className={`${styles.distCol} ${styles[`dist${i + 1}`]}`}
          style={{ height: `${Math.round((100 * n) / max)}%` }}
        />
      ))}
    </span>
  );
}
