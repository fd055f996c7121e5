import type { StaleRatingsWarning } from './useSaveWithConflict.ts';
import styles from './scenario.module.css';

interface StaleRatingsBannerProps {
  warning: StaleRatingsWarning;
  /** The editor's text now: "Save anyway" confirms only the text the warning was about. */
  text: string;
  onSaveAnyway(text: string): void;
  onCancel(): void;
}

/** Asks before a save that would make realism ratings stale: how many, and in which studies. */
export function StaleRatingsBanner({ warning, text, onSaveAnyway, onCancel }: StaleRatingsBannerProps) {
  return (
    <div className={`${styles.banner} ${styles.bannerWarning}`} role="alertdialog" data-testid="stale-warning">
      <p>
        This edit changes what realism raters saw: <strong>{warning.ratings}</strong> rating
        {warning.ratings === 1 ? '' : 's'} will become stale and stop counting (
        {warning.studies.map((st) => `${st.name}: ${st.ratings}`).join(', ')}).
      </p>
      <button
        type="button"
        className="btn btn-sm btn-primary"
        data-testid="stale-save-anyway"
        disabled={warning.text !== text}
        onClick={() => onSaveAnyway(warning.text)}
      >
        Save anyway
      </button>{' '}
      <button type="button" className="btn btn-sm" data-testid="stale-cancel" onClick={onCancel}>
        Keep editing
      </button>
    </div>
  );
}
