/** Placeholder: the page lands with the judge calibration and benchmark run work. */
export function CalibrationPage() {
  return <main className="centered-message">Coming soon.</main>;
}
