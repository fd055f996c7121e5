/** Placeholder: the page lands with the judge calibration and benchmark run work. */
export function JudgesPage() {
  return <main className="centered-message">Coming soon.</main>;
}
