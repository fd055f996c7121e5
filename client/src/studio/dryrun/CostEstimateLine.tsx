import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { HUMAN_MODEL } from '../../../../schema/api/dryruns.ts';
import type { CostEstimate } from '../../../../schema/api/cost-estimate.ts';
import { dryRunKeys } from '../../api/queryKeys.ts';
import { fetchCostEstimate } from './dryrun.api.ts';
import styles from './dryrun.module.css';

/** A moment after typing stops, so the estimate is not asked for at every key. */
const SETTLE_MS = 400;

const range = (r: { min: number; max: number }, format: (n: number) => string) =>
  r.min === r.max ? format(r.min) : `${format(r.min)}–${format(r.max)}`;
const count = (n: number) => n.toLocaleString('en');
const dollars = (n: number) => `$${n < 0.01 ? n.toFixed(4) : n.toFixed(2)}`;

/**
 * The estimated cost of running the editor's text on the chosen model, shown before the run: of the
 * variant the dry-run will run (the one previewed), which may be longer or shorter than the first.
 */
export function CostEstimateLine({ text, model, variant }: { text: string; model: string; variant: string | null }) {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const estimate = useQuery({
    queryKey: dryRunKeys.estimate(model, settled, variant),
    queryFn: ({ signal }) => fetchCostEstimate({ content: settled, model, ...(variant ? { variant } : {}) }, signal),
    enabled: model !== HUMAN_MODEL,
    staleTime: Infinity,
    retry: false,
  });
  if (model === HUMAN_MODEL || !estimate.data) return null;
  return (
    <>
      {estimate.data.problem && (
        <div className={styles.dryrunModelProblem} role="alert" data-testid="dryrun-estimate-problem">
          {estimate.data.problem}
        </div>
      )}
      <EstimateText estimate={estimate.data} />
    </>
  );
}

function EstimateText({ estimate: e }: { estimate: CostEstimate }) {
  return (
    <details className={`${styles.dryrunModelInfo} dryrun-estimate`} data-testid="dryrun-estimate">
      <summary>
        Estimated before running: {range(e.calls, count)} call{e.calls.max === 1 ? '' : 's'} ·{' '}
        {range(e.inputTokens, count)} input tokens · {range(e.outputTokens, count)} output tokens
        {e.costUsd ? (
          <>
            {' '}
            · <strong data-testid="dryrun-estimate-cost">{range(e.costUsd, dollars)}</strong>
          </>
        ) : (
          ' · no prices configured'
        )}
      </summary>
      <p className="muted" data-testid="dryrun-estimate-method">
        {e.method}
      </p>
    </details>
  );
}
