import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { PreviousRatingResponse } from '../../../schema/api/studies.ts';
import { KeyHint } from './KeyHint.tsx';
import { fetchPreviousRating, RateRequestError } from './rateApi.ts';
import type { Notice } from './notice.ts';
import styles from './rate.module.css';

/**
 * Going back through one's own ratings: which earlier rating is open (none: the task in hand), and
 * the steps to it. The task's lease is kept meanwhile, so coming back finds the task as it was.
 */
export function useEarlierRating(studyId: string, setNotice: (n: Notice | null) => void) {
  const [rating, setRating] = useState<PreviousRatingResponse | null>(null);
  // A read the rater asks for with a key, once at a time: a mutation gives its pending state, and
  // what it finds becomes the rating open here (nothing to cache: a change is saved over it).
  const find = useMutation({
    mutationFn: (before: string | undefined) => fetchPreviousRating(studyId, before),
    onSuccess: (found, before) => {
      if (found) setRating(found);
      else
        setNotice({
          tone: 'info',
          text: before ? 'That was your first rating in this study.' : 'You have not rated anything yet.',
        });
    },
    onError: (e) =>
      setNotice({
        tone: 'warning',
        text: `Could not open your earlier rating: ${e instanceof RateRequestError ? e.message : String(e)}`,
      }),
  });
  const open = (before?: string) => {
    if (!find.isPending) find.mutate(before);
  };

  return {
    rating,
    /** Open the latest rating. */
    openLatest: () => open(),
    /** Open the one before the rating now open. */
    openEarlier: rating?.hasEarlier ? () => open(rating.ratingId) : undefined,
    close: (notice: Notice | null) => {
      setRating(null);
      setNotice(notice);
      window.scrollTo({ top: 0 });
    },
  };
}

/** An earlier rating whose scenario changed since: it stands as given; the rater may step on or back. */
export function ChangedSinceRating({
  rating,
  onEarlier,
  onClose,
}: {
  rating: PreviousRatingResponse;
  onEarlier?: () => void;
  onClose(): void;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Escape') onClose();
      else if (e.key === 'ArrowLeft' && onEarlier) onEarlier();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, onEarlier]);
  return (
    <section className={`${styles.rateCard} ${styles.rateChangedSince}`} data-testid="revision-changed">
      <p>
        Your rating #{rating.position}: you gave it a <strong>{rating.realism}</strong>. The author has changed this
        scenario since, so your rating stands as you gave it and cannot be changed.
      </p>
      <div className={styles.rateActions}>
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Back to your task{' '}
          <KeyHint>
            <kbd>Esc</kbd>
          </KeyHint>
        </button>
        {onEarlier && (
          <button type="button" className="btn" onClick={onEarlier}>
            Earlier{' '}
            <KeyHint>
              <kbd>←</kbd>
            </KeyHint>
          </button>
        )}
      </div>
    </section>
  );
}
