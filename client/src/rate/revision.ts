import type { PreviousRatingResponse } from '../../../schema/api/studies.ts';
import type { Notice } from './notice.ts';

/** One of the rater's earlier ratings, opened instead of the task to be looked at or changed. */
export interface Revision {
  rating: PreviousRatingResponse & { scenario: NonNullable<PreviousRatingResponse['scenario']> };
  /** Step further back (absent at the first rating). */
  onEarlier?: () => void;
  /** Back to the task in hand, with a word about what happened (null: nothing changed). */
  onClose(notice: Notice | null): void;
}
