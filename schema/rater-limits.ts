// The longest texts a rater may send, in a module without zod: the rater app's small bundle takes
// them from here (its boxes stop at the limit), and the request schemas in schema/api enforce them.

/** The longest comment a realism rating takes. */
export const RATING_COMMENT_MAX = 2000;
/** The longest reason a verdict takes. */
export const ANNOTATION_REASON_MAX = 4000;
/** The longest comment on whether the judge's rationale holds. */
export const HOLDS_COMMENT_MAX = 2000;
