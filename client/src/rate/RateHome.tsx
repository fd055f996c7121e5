import { useQuery } from '@tanstack/react-query';
import type { MyRaterStudy } from '../../../schema/api/rater-home.ts';
import { raterKeys } from '../api/queryKeys.ts';
import { useMe } from '../auth/useMe.ts';
import { fetchMyStudies } from './rateApi.ts';
import { RaterMessage } from './RaterMessage.tsx';
import styles from './rate.module.css';

/**
 * /rate: a signed-in rater's studies, each with their progress and a link that continues the batch
 * where they left it (a closed tab, a used-up invite link). Signed out: how to get in.
 */
export function RateHome() {
  const me = useMe();
  const studies = useQuery({ queryKey: raterKeys.mine, queryFn: fetchMyStudies, enabled: !!me.data });
  if (me.isPending || (me.data && studies.isPending)) return <RaterMessage title="Loading…" busy />;
  if (!me.data) {
    return (
      <RaterMessage title="Crucible rating">
        Open the study link you were given to start rating. Have an account? <a href="/signin?next=/rate">Sign in</a>.
      </RaterMessage>
    );
  }
  if (studies.error) return <RaterMessage title="Something went wrong">{studies.error.message}</RaterMessage>;
  const list = studies.data ?? [];
  return (
    <main className={styles.ratePage}>
      <section className={`${styles.rateCard} rate-home`} data-testid="rate-home">
        <h1>Your studies</h1>
        <p className={styles.rateHomeWho}>
          Signed in as <strong>{me.data.name}</strong>
          {me.data.role !== 'rater' && (
            <>
              {' '}
              · <a href="/studio">the studio</a>
            </>
          )}
        </p>
        {list.length === 0 ? (
          <p data-testid="rate-home-empty">
            You have not joined a study yet. Open the study link you were given to start rating.
          </p>
        ) : (
          <ul className={styles.rateHomeList}>
            {list.map((s) => (
              <StudyEntry key={s.id} study={s} />
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

function StudyEntry({ study }: { study: MyRaterStudy }) {
  const finished = study.total > 0 && study.done >= study.total;
  const action = study.status === 'closed' ? 'Closed' : finished ? 'Done' : study.done > 0 ? 'Continue' : 'Start';
  const verb = study.kind === 'realism' ? 'rated' : 'judged';
  return (
    <li className="rate-home-study" data-testid="rate-home-study" data-study={study.id}>
      <a href={`/rate/${encodeURIComponent(study.id)}`} className={styles.rateHomeLink}>
        <span className={styles.rateHomeName}>{study.name}</span>
        <span className={styles.rateHomeKind}>
          {study.kind === 'realism' ? 'Scenario realism' : 'Transcript verdicts'}
        </span>
        <span className={styles.rateProgress} aria-label={`${study.done} of ${study.total} ${verb}`}>
          <span className={styles.rateProgressBar} aria-hidden>
            <span style={{ width: `${Math.min(100, (100 * study.done) / Math.max(1, study.total))}%` }} />
          </span>
          <span data-testid="rate-home-progress">
            {study.done} / {study.total} {verb}
          </span>
        </span>
        <span className={`btn btn-sm${action === 'Continue' || action === 'Start' ? ' btn-primary' : ''}`}>
          {action}
        </span>
      </a>
    </li>
  );
}
