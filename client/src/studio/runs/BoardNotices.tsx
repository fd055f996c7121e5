import { Link } from 'wouter';
import { ApiError } from '../../api/client.ts';
import frame from '../../components/PageFrame.module.css';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import type { Leaderboard } from './runs.api.ts';
import runsStyles from './runs.module.css';

interface BoardNoticesProps {
  board: Leaderboard | undefined;
  error: Error | null;
  /** The run is running or queued: scores may still come. */
  active: boolean;
}

/** Why there are no results to show: the leaderboard failed (no judge to score with), or nothing is judged yet. */
export function BoardNotices({ board, error, active }: BoardNoticesProps) {
  return (
    <>
      {error && (
        <div className={runsStyles.bannerPlain} data-testid="board-error">
          {error instanceof ApiError && error.status === 409 ? (
            <>
              No judge version to score this run with. <Link href="/studio/judges">Create a judge</Link>, then choose it
              here.
            </>
          ) : (
            <ErrorMessage error={error} />
          )}
        </div>
      )}
      {board && board.models.length === 0 && !error && (
        <div className={frame.empty} data-testid="no-scores">
          {active ? 'Waiting for the first judged transcripts…' : 'No judged transcripts under this judge version.'}
        </div>
      )}
    </>
  );
}
