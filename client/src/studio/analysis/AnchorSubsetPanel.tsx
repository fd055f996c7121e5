import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { analysisKeys } from '../../api/queryKeys.ts';
import { fetchAnchorSubset } from './analysis.api.ts';
import { fixed, percent } from './itemFlags.ts';
import frame from '../../components/PageFrame.module.css';
import styles from './analysis.module.css';

/** A subset of about k scenarios that estimates every model, and how well it did on held-out models. */
export function AnchorSubsetPanel({ judge, scenarios }: { judge: string | null; scenarios: number }) {
  const [draft, setDraft] = useState(String(Math.max(1, Math.round(scenarios / 10))));
  const [k, setK] = useState<number | null>(null);
  const subset = useQuery({
    queryKey: analysisKeys.subset(judge, k),
    queryFn: () => fetchAnchorSubset(judge, k!),
    enabled: k !== null,
  });
  const report = subset.data;
  return (
    <section className="items-subset" data-testid="items-subset" aria-label="Efficient evaluation">
      <h2>Efficient evaluation</h2>
      <form
        className={frame.toolbar}
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(draft);
          if (Number.isInteger(n) && n >= 1) setK(n);
        }}
      >
        <label>
          Scenarios in the subset{' '}
          <input
            type="number"
            min={1}
            max={scenarios}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            data-testid="subset-k"
          />
        </label>
        <button type="submit" className="btn btn-sm" data-testid="subset-choose">
          Choose anchors
        </button>
        <span className="muted">
          anchor points (Polo et al. 2024), stratified by category, checked leave one model out
        </span>
      </form>
      {subset.error && <ErrorMessage error={subset.error} />}
      {report && !report.subset && <p className="muted">{report.reason}</p>}
      {report?.subset && report.validation && (
        <div data-testid="subset-result">
          <p>
            {report.subset.anchors.length} anchors estimate each model’s mean over {report.scenarios} scenarios within ±
            {fixed(report.subset.halfWidth)} (95%). Held out one at a time, the {report.models.length} models were
            estimated with mean absolute error{' '}
            <strong data-testid="subset-mae">{fixed(report.validation.meanAbsoluteError)}</strong> and{' '}
            {percent(report.validation.coverage)} of their intervals held the full mean.
            {report.leftOutModels.length > 0 &&
              ` Left out (did not run every scenario): ${report.leftOutModels.join(', ')}.`}
          </p>
          <ol className={styles.itemsWriteNext}>
            {report.subset.anchors.map((a) => (
              <li key={a.scenarioId}>
                <Link href={`/studio/scenarios/${encodeURIComponent(a.scenarioId)}`} className="mono">
                  {a.scenarioId}
                </Link>{' '}
                <span className="muted">
                  ({a.category}, weight {percent(a.weight)})
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
