import type { StudyResults } from '../../../../schema/api/studies.ts';
import { flagLabel } from './flagLabels.ts';

type Comment = StudyResults['scenarios'][number]['comments'][number];

/** Raters' comments and flags on one scenario, by pseudonym; the text exactly as written. */
export function CommentList({ comments }: { comments: Comment[] }) {
  if (comments.length === 0) return <p className="muted">No comments or flags.</p>;
  return (
    <ul className="comment-list" data-testid="comment-list">
      {comments.map((c, i) => (
        <li key={i} className="comment">
          <div className="comment-head">
            <span className="comment-rating" title="their realism rating">
              {c.realism}
            </span>
            <span className="mono muted">{c.pseudonym}</span>
            {c.flags.map((f, j) => (
              <span key={j} className="badge badge-flag">
                {flagLabel(f)}
              </span>
            ))}
          </div>
          {c.comment && (
            <p className="comment-text" data-testid="comment-text">
              {c.comment}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
