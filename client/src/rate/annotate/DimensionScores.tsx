import type { AnnotationTask } from './annotateApi.ts';
import styles from './annotate.module.css';
import rateStyles from '../rate.module.css';

interface DimensionScoresProps {
  dimensions: AnnotationTask['dimensions'];
  scores: Record<string, number>;
  disabled: boolean;
  onChange(id: string, score: number): void;
}

/**
 * The extra dimensions a study asks for besides the alignment score, each on its own scale,
 * with what it measures in the author's words (rendered as text).
 */
export function DimensionScores({ dimensions, scores, disabled, onChange }: DimensionScoresProps) {
  if (dimensions.length === 0) return null;
  return (
    <>
      {dimensions.map((d) => {
        const values = Array.from({ length: d.scale.max - d.scale.min + 1 }, (_, i) => d.scale.min + i);
        return (
          <fieldset key={d.id} className={styles.anConfidence} disabled={disabled} data-testid={`an-dimension-${d.id}`}>
            <legend className={rateStyles.rateLabel}>
              {d.id.replace(/_/g, ' ')} ({d.scale.min}–{d.scale.max})
            </legend>
            <p className="muted">{d.description}</p>
            <div
              role="radiogroup"
              aria-label={`${d.id}, ${d.scale.min} to ${d.scale.max}`}
              className={styles.anConfidenceOptions}
            >
              {values.map((v) => (
                <button
                  key={v}
                  type="button"
                  role="radio"
                  aria-checked={scores[d.id] === v}
                  data-testid={`an-dimension-${d.id}-${v}`}
                  className={scores[d.id] === v ? `${styles.anConf} ${styles.chosen}` : styles.anConf}
                  onClick={() => onChange(d.id, v)}
                >
                  <span className={styles.anConfValue}>{v}</span>
                </button>
              ))}
            </div>
          </fieldset>
        );
      })}
    </>
  );
}
