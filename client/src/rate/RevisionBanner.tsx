import styles from './rate.module.css';

/** Says which earlier rating is open, and that the task in hand is kept. */
export function RevisionBanner({ position, ratedAt }: { position: number; ratedAt: string }) {
  const time = new Date(ratedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return (
    <p className={styles.rateRevisionBanner} data-testid="revision-banner">
      Your rating #{position}, given at {time}. Change it and save, or go back: your current task is kept for you.
    </p>
  );
}
