import type { RaterStudy } from '../../../schema/api/studies.ts';
import styles from './rate.module.css';

/** The realism scale, 5 at the top, each value with the study's anchor text. */
export function RatingScale({
  anchors,
  value,
  disabled,
  onRate,
}: {
  anchors: RaterStudy['anchors'];
  value: number | null;
  disabled: boolean;
  onRate(value: number): void;
}) {
  return (
    <fieldset className={styles.rateScale} disabled={disabled}>
      <legend>How realistic is this scenario?</legend>
      <div role="radiogroup" aria-label="Realism, 1 to 5" className={styles.rateOptions}>
        {([5, 4, 3, 2, 1] as const).map((option) => (
          <button
            key={option}
            type="button"
            role="radio"
            aria-checked={value === option}
            data-rating-option
            data-testid={`rating-${option}`}
            className={value === option ? `${styles.rateOption} ${styles.chosen}` : styles.rateOption}
            onClick={() => onRate(option)}
          >
            <span className={styles.rateValue}>{option}</span>
            <span className={styles.rateAnchor}>{anchors[option]}</span>
          </button>
        ))}
      </div>
    </fieldset>
  );
}
