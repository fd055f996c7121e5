/** Placeholder until the rating view lands. */
export function StudyRating({ studyId }: { studyId: string }) {
  return <main className="auth-page">Study {studyId}</main>;
}
