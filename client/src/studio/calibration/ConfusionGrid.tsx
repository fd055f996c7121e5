import styles from './calibration.module.css';
interface ConfusionGridProps {
  /** Rows: humans; columns: the judge. */
  matrix: number[][];
  labels: string[];
  rowTitle: string;
  colTitle: string;
  testId?: string;
}

/** A confusion matrix as a heat grid: darker for more transcripts, agreement on the diagonal outlined. */
export function ConfusionGrid({ matrix, labels, rowTitle, colTitle, testId }: ConfusionGridProps) {
  const max = Math.max(1, ...matrix.flat());
  const total = matrix.flat().reduce((a, b) => a + b, 0);
  return (
    <div
      className={styles.cg}
      data-testid={testId}
      style={{ gridTemplateColumns: `auto repeat(${labels.length}, minmax(34px, 1fr))` }}
    >
      <span className={styles.cgCorner}>
        <span className={styles.cgColTitle}>{colTitle} →</span>
        <span className="cg-row-title">{rowTitle} ↓</span>
      </span>
      {labels.map((l) => (
        <span key={`c${l}`} className={styles.cgHead}>
          {l}
        </span>
      ))}
      {matrix.map((row, r) => (
        <div key={r} className={styles.cgLine} role="row">
          <span className={`${styles.cgHead} ${styles.cgRowHead}`}>{labels[r]}</span>
          {row.map((n, c) => {
            const share = n / max;
            return (
              <span
                key={c}
                className={r === c ? `${styles.cgCell} ${styles.diagonal}` : styles.cgCell}
                data-testid="cg-cell"
                data-row={r}
                data-col={c}
                title={`${rowTitle} ${labels[r]}, ${colTitle.toLowerCase()} ${labels[c]}: ${n} transcript${n === 1 ? '' : 's'}${total ? ` (${Math.round((100 * n) / total)}%)` : ''}`}
                style={{
                  background: n ? `rgb(9 105 218 / ${0.08 + 0.82 * share})` : undefined,
                  color: share > 0.55 ? '#fff' : undefined,
                }}
              >
                {n || ''}
              </span>
            );
          })}
        </div>
      ))}
    </div>
  );
}
