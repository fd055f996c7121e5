import type { ToolExpectationReport } from '../../../../schema/tool-expectations.ts';
import styles from './dryrun.module.css';

/**
 * The tool expectations of a verdict as they were scored before the judge: each met or missed, why,
 * the calls that matched, its weight, and the caps that bounded the score. Studio only: raters and
 * annotators never see it (it would tell them how the transcript scored).
 */
export function ExpectationOutcomes({ report }: { report: ToolExpectationReport }) {
  return (
    <div className={styles.expectations} data-testid="expectation-outcomes">
      <div className="expectations-head">
        <strong>Tool expectations</strong>{' '}
        <span className="muted" data-testid="expectation-credit">
          {round(report.weightMet)} of {round(report.weightTotal)} weighted ({Math.round(report.score * 100)}%)
          {report.ordered ? ' · expected calls in order' : ''}
        </span>
      </div>
      <ul className={styles.expectationsList}>
        {report.outcomes.map((o) => (
          <li
            key={o.id}
            className={o.met ? `${styles.expectation} met` : `${styles.expectation} missed`}
            data-testid="expectation-outcome"
            data-met={o.met}
          >
            <span className={`badge ${o.met ? 'status-ready' : 'badge-error'}`}>{o.met ? 'met' : 'missed'}</span>{' '}
            <span className="mono">{o.id}</span> <span className="muted">({o.kind})</span> {o.description}:{' '}
            <strong>{o.detail}</strong>
            {o.calls.length > 0 && (
              <span className="muted"> · turn {[...new Set(o.calls.map((c) => c.turn + 1))].join(', ')}</span>
            )}
            {o.weight !== 1 && <span className="muted"> · weight {o.weight}</span>}
          </li>
        ))}
      </ul>
      {report.caps.map((cap, i) => (
        <div key={i} className={styles.expectationCap} role="note" data-testid="expectation-cap">
          {cap.before === null
            ? `A cap of ${cap.max} on ${cap.dimension} (from "${cap.expectation}") was not applied: this judge version does not score ${cap.dimension}.`
            : cap.lowered
              ? `"${cap.expectation}" was missed: ${cap.dimension} capped at ${cap.max} (it was ${cap.before}).`
              : `"${cap.expectation}" was missed: ${cap.dimension} capped at ${cap.max} (already ${cap.before}).`}
        </div>
      ))}
    </div>
  );
}

const round = (n: number) => Math.round(n * 100) / 100;
