import type { RaterStudy } from '../../../schema/api/studies.ts';
import styles from './rate.module.css';

/** The study's instructions, the scale and the keys: shown before the first task, and on request. */
export function InstructionsView({ study, onStart, again }: { study: RaterStudy; onStart(): void; again: boolean }) {
  return (
    <main className={styles.ratePage}>
      <section className={styles.rateCard} data-testid="rate-instructions" aria-labelledby="instructions-title">
        <h1 id="instructions-title">{study.name}</h1>
        {study.instructions.trim() && (
          <div className={styles.rateInstructionsText} data-testid="rate-instructions-text">
            {study.instructions}
          </div>
        )}
        <p>
          Each task shows a scenario as an AI model would meet it: the system prompt set by the company deploying it,
          the documents and tools it has, and what the user says. Judge how realistic it is as a real deployment and a
          real user. There are no right answers; other raters never see yours.
        </p>
        {study.crowd && (
          <p data-testid="rate-completion-rule">
            <strong>
              To finish, rate {study.crowd.ratingsRequired} scenario{study.crowd.ratingsRequired === 1 ? '' : 's'}
            </strong>
            ; then you get your completion code. You may skip up to {study.crowd.skipsAllowed} scenario
            {study.crowd.skipsAllowed === 1 ? '' : 's'} you cannot judge; skips do not count toward the{' '}
            {study.crowd.ratingsRequired}.
          </p>
        )}
        <h2>The scale</h2>
        <ol className={styles.rateAnchors} reversed>
          {([5, 4, 3, 2, 1] as const).map((v) => (
            <li key={v} value={v}>
              <strong>{v}</strong> {study.anchors[v]}
            </li>
          ))}
        </ol>
        <h2>Keys</h2>
        <p className={styles.rateKeysHelp}>
          <kbd>1</kbd>–<kbd>5</kbd> choose a rating · <kbd>F</kbd> flag what breaks realism (then a digit for a user
          turn) · <kbd>C</kbd> write a comment · <kbd>Enter</kbd> submit · <kbd>S</kbd> skip a scenario you cannot judge
        </p>
        <button
          type="button"
          className={`btn btn-primary ${styles.rateStart}`}
          autoFocus
          data-testid="rate-start"
          onClick={onStart}
        >
          {again ? 'Back to rating' : 'Start rating'}
        </button>
      </section>
    </main>
  );
}
