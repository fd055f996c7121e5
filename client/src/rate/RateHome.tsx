/** /rate without a study: raters arrive through a study link, so there is little to do here. */
export function RateHome() {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Crucible rating</h1>
        <p>Open the study link you were given to start rating.</p>
      </div>
    </main>
  );
}
