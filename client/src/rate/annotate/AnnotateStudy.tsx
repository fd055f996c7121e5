/** Placeholder: the annotation view lands with the judge calibration work. */
export function AnnotateStudy({ studyId }: { studyId: string }) {
  return <main className="auth-page">Annotation study {studyId}</main>;
}
