import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { generationKeys } from '../../api/queryKeys.ts';
import {
  acceptCandidate,
  fetchCandidate,
  fetchCandidates,
  rejectCandidate,
  type CandidateDetail,
  type CandidateSummary,
} from './generation.api.ts';
import styles from './generation.module.css';

const SCREENS = [
  ['checks', 'Checks'],
  ['duplicate', 'Near-duplicate'],
  ['dryRun', 'Dry-run'],
  ['bite', 'Pressure bites'],
  ['realism', 'Realism'],
] as const;

/**
 * /studio/generation/review: candidates that passed every screen, one at a time beside the nearest
 * existing scenario. Keys: j / k next and previous, a accept (a draft file), e accept and open it
 * in the editor, r reject with a reason.
 */
export function ReviewQueuePage() {
  useDocumentTitle('Review queue');
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const queue = useQuery({ queryKey: generationKeys.queue, queryFn: () => fetchCandidates('review') });
  const [index, setIndex] = useState(0);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const list = queue.data ?? [];
  const current = list[Math.min(index, Math.max(0, list.length - 1))];
  const detail = useQuery({
    queryKey: generationKeys.candidate(current?.id ?? ''),
    queryFn: () => fetchCandidate(current!.id),
    enabled: current !== undefined,
  });
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  const decided = async (message: string) => {
    setNotice(message);
    setRejecting(false);
    setReason('');
    await queryClient.invalidateQueries({ queryKey: generationKeys.queue });
  };
  const acceptOne = useMutation({
    mutationFn: ({ id }: { id: string; thenEdit: boolean }) => acceptCandidate(id),
    onSuccess: async ({ scenarioId }, { thenEdit }) => {
      await decided(`Accepted as ${scenarioId} (draft)`);
      if (thenEdit) navigate(`/studio/scenarios/${scenarioId}`);
    },
  });
  const rejectOne = useMutation({
    mutationFn: (candidate: CandidateSummary) => rejectCandidate(candidate.id, reason),
    onSuccess: (_, candidate) => decided(`Rejected ${candidate.scenarioId ?? 'the candidate'}`),
  });
  const error = acceptOne.error ?? rejectOne.error;
  const accept = (thenEdit: boolean) => {
    if (!current) return;
    rejectOne.reset();
    acceptOne.mutate({ id: current.id, thenEdit });
  };
  const reject = () => {
    if (!current) return;
    acceptOne.reset();
    rejectOne.mutate(current);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (rejecting || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable))
        return;
      if (e.key === 'j') setIndex((i) => Math.min(i + 1, Math.max(0, list.length - 1)));
      else if (e.key === 'k') setIndex((i) => Math.max(i - 1, 0));
      else if (e.key === 'a') void accept(false);
      else if (e.key === 'e') void accept(true);
      else if (e.key === 'r' && current) {
        setRejecting(true);
        setTimeout(() => reasonRef.current?.focus(), 0);
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <main className={styles.reviewPage} data-testid="review-queue">
      <ul className={styles.reviewList} role="listbox" aria-label="Candidates in review" data-testid="review-list">
        {list.length === 0 && queue.isSuccess && (
          <li className="muted" data-testid="review-empty">
            Nothing to review. <Link href="/studio/generation">Start a job</Link>
          </li>
        )}
        {list.map((c, i) => (
          <li
            key={c.id}
            role="option"
            aria-selected={c.id === current?.id}
            data-testid="review-item"
            data-id={c.scenarioId ?? ''}
            onClick={() => setIndex(i)}
          >
            <strong>{c.title ?? c.scenarioId}</strong>
            <br />
            <span className="muted">
              {c.behavior}
              {Object.values(c.variation).length > 0 ? ` · ${Object.values(c.variation).join(', ')}` : ''}
            </span>
          </li>
        ))}
      </ul>
      <section className={styles.reviewDetail} aria-label="Candidate">
        <p className={`${styles.reviewKeys} muted`}>
          <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>a</kbd> accept as a draft · <kbd>e</kbd> accept and edit ·{' '}
          <kbd>r</kbd> reject with a reason · {list.length} in review ·{' '}
          <Link href="/studio/generation">Generation</Link>
        </p>
        {notice && (
          <p className="badge" role="status" data-testid="review-notice">
            {notice}
          </p>
        )}
        <ErrorMessage error={error ?? queue.error ?? detail.error} />
        {rejecting && (
          <form
            className="review-reject"
            onSubmit={(e) => {
              e.preventDefault();
              void reject();
            }}
          >
            <label>
              Why reject it? Later jobs are told not to repeat it.
              <textarea
                ref={reasonRef}
                value={reason}
                data-testid="reject-reason"
                rows={2}
                onChange={(e) => setReason(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') setRejecting(false);
                  if (e.key === 'Enter' && !e.shiftKey) {
                    e.preventDefault();
                    void reject();
                  }
                }}
              />
            </label>
            <button type="submit" className="btn btn-danger btn-sm" data-testid="reject-confirm">
              Reject
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setRejecting(false)}>
              Cancel
            </button>
          </form>
        )}
        {detail.data && detail.data.id === current?.id && <CandidateView c={detail.data} />}
      </section>
    </main>
  );
}

function CandidateView({ c }: { c: CandidateDetail }) {
  return (
    <>
      <h2 data-testid="review-title">{c.title}</h2>
      <p className="muted">
        {c.scenarioId} · {c.behavior} · generated by {c.model}
        {c.repaired ? ' · passed after one repair' : ''}
      </p>
      <dl className={styles.reviewScreens} data-testid="review-screens">
        {SCREENS.map(([key, name]) => {
          const s = c.screens?.[key];
          const mark = s?.pass === true ? '✓' : s?.pass === false ? '✗' : '–';
          return (
            <div key={key} style={{ display: 'contents' }} data-testid={`screen-${key}`}>
              <dt className={s?.pass === true ? styles.screenPass : s?.pass === false ? styles.screenFail : 'muted'}>
                {mark} {name}
              </dt>
              <dd>{s?.detail ?? 'not run'}</dd>
            </div>
          );
        })}
      </dl>
      {c.screens && c.screens.dryRun.replies.length > 0 && (
        <details>
          <summary>Dry-run replies ({c.screens.dryRun.model})</summary>
          {c.screens.dryRun.replies.map((r, i) => (
            <p key={i}>{r}</p>
          ))}
        </details>
      )}
      <div className={styles.reviewSideBySide}>
        <div>
          <h3>Candidate</h3>
          <pre data-testid="candidate-yaml">{c.yaml}</pre>
        </div>
        <div>
          <h3>
            Nearest existing:{' '}
            {c.nearestScenario ? (
              <span data-testid="nearest-id">
                {c.nearestScenario.id} ({c.nearestScenario.in}, ≈{c.nearest?.similarity.toFixed(2)})
              </span>
            ) : (
              'none similar'
            )}
          </h3>
          {c.nearestScenario && <pre>{c.nearestScenario.yaml}</pre>}
        </div>
      </div>
    </>
  );
}
