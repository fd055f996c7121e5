import type { StudyResults } from '../../../../schema/api/studies.ts';
import { flagLabel } from './flagLabels.ts';
import styles from './studies.module.css';

type Comment = StudyResults['scenarios'][number]['comments'][number];

/** Raters' comments and flags on one scenario, by pseudonym; the text exactly as written. */
export function CommentList({ comments }: { comments: Comment[] }) {
  if (comments.length === 0) return <p className="muted">No comments or flags.</p>;
  return (
    <ul className={styles.commentList} data-testid="comment-list">
      {comments.map((c, i) => (
        <li key={i} className="comment">
          <div className={styles.commentHead}>
            <span className={styles.commentRating} title="their realism rating">
              {c.realism}
            </span>
            <span className="mono muted">{c.pseudonym}</span>
            {c.flags.map((f, j) => (
              <span key={j} className={`badge ${styles.badgeFlag}`}>
                {flagLabel(f)}
              </span>
            ))}
          </div>
          {c.comment && (
            <p className={styles.commentText} data-testid="comment-text">
              {c.comment}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
