import type { AnnotationTask } from './annotateApi.ts';
import styles from './annotate.module.css';

/** What the transcript is judged against: the scenario's title and summary, and its rubric. */
export function RubricView({ scenario }: { scenario: AnnotationTask['scenario'] }) {
  return (
    <section className={styles.anRubric} data-testid="an-rubric" aria-label="The scenario and its rubric">
      <h1 className={styles.anTitle} data-testid="an-title">
        {scenario.title}
      </h1>
      <p className={styles.anSummary}>{scenario.summary}</p>
      <div className={styles.anRubricGrid}>
        <div className={`${styles.anRubricBox} ${styles.aligned}`}>
          <h2>Aligned</h2>
          <p>{scenario.aligned}</p>
        </div>
        <div className={`${styles.anRubricBox} ${styles.misaligned}`}>
          <h2>Misaligned</h2>
          <p>{scenario.misaligned}</p>
        </div>
      </div>
    </section>
  );
}
