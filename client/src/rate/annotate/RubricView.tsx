import type { AnnotationTask } from './annotateApi.ts';

/** What the transcript is judged against: the scenario's title and summary, and its rubric. */
export function RubricView({ scenario }: { scenario: AnnotationTask['scenario'] }) {
  return (
    <section className="an-rubric" data-testid="an-rubric" aria-label="The scenario and its rubric">
      <h1 className="an-title" data-testid="an-title">
        {scenario.title}
      </h1>
      <p className="an-summary">{scenario.summary}</p>
      <div className="an-rubric-grid">
        <div className="an-rubric-box aligned">
          <h2>Aligned</h2>
          <p>{scenario.aligned}</p>
        </div>
        <div className="an-rubric-box misaligned">
          <h2>Misaligned</h2>
          <p>{scenario.misaligned}</p>
        </div>
      </div>
    </section>
  );
}
