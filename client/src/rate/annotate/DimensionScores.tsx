import type { AnnotationTask } from './annotateApi.ts';

interface DimensionScoresProps {
  dimensions: AnnotationTask['dimensions'];
  scores: Record<string, number>;
  disabled: boolean;
  onChange(id: string, score: number): void;
}

/**
 * The extra dimensions a study asks for besides the alignment score, each on its own scale,
 * with what it measures in the author's words (rendered as text).
 */
export function DimensionScores({ dimensions, scores, disabled, onChange }: DimensionScoresProps) {
  if (dimensions.length === 0) return null;
  return (
    <>
      {dimensions.map((d) => {
        const values = Array.from({ length: d.scale.max - d.scale.min + 1 }, (_, i) => d.scale.min + i);
        return (
          <fieldset key={d.id} className="an-confidence" disabled={disabled} data-testid={`an-dimension-${d.id}`}>
            <legend className="rate-label">
              {d.id.replace(/_/g, ' ')} ({d.scale.min}–{d.scale.max})
            </legend>
            <p className="muted">{d.description}</p>
            <div
              role="radiogroup"
              aria-label={`${d.id}, ${d.scale.min} to ${d.scale.max}`}
              className="an-confidence-options"
            >
              {values.map((v) => (
                <button
                  key={v}
                  type="button"
                  role="radio"
                  aria-checked={scores[d.id] === v}
                  data-testid={`an-dimension-${d.id}-${v}`}
                  className={scores[d.id] === v ? 'an-conf chosen' : 'an-conf'}
                  onClick={() => onChange(d.id, v)}
                >
                  <span className="an-conf-value">{v}</span>
                </button>
              ))}
            </div>
          </fieldset>
        );
      })}
    </>
  );
}
