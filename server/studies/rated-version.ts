/** The scenario version a rating or lease was made on: its text, and what its rater saw of it. */
export interface RatedVersion {
  content_hash: string;
  rater_view_hash: string | null;
}

/**
 * A rating (or lease) is current while its rater would see the same scenario: the very same text,
 * or the same rater view (edits to comments, summary, notes, tags, the rubric or the formatting
 * leave it current). A rating made before views were hashed is current by its text only.
 */
export function seesSameView(scenario: RatedVersion | undefined, rated: RatedVersion): boolean {
  if (!scenario) return false;
  if (scenario.content_hash === rated.content_hash) return true;
  return rated.rater_view_hash !== null && rated.rater_view_hash === scenario.rater_view_hash;
}
