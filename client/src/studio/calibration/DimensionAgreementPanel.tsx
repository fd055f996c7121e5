import { useQuery } from '@tanstack/react-query';
import { calibrationKeys } from '../../api/queryKeys.ts';
import { fetchDimensionAgreement } from './calibration.api.ts';

const num = (x: number | null, digits = 2) => (x === null ? '—' : x.toFixed(digits));

/**
 * Judge-human agreement on each extra dimension the study's annotators rated (alignment has the
 * full report above): the same consensus rules, each on its dimension's own scale.
 */
export function DimensionAgreementPanel({ studyId, judgeVersionId }: { studyId: string; judgeVersionId: string }) {
  const q = useQuery({
    queryKey: calibrationKeys.dimensions(studyId, judgeVersionId),
    queryFn: () => fetchDimensionAgreement(studyId, judgeVersionId),
  });
  const rows = q.data?.dimensions ?? [];
  if (rows.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="dimension-agreement-title" data-testid="dimension-agreement">
      <h2 id="dimension-agreement-title">Other dimensions</h2>
      <p className="muted">
        Dimensions the annotators rated besides alignment. Correlations, error and bias against the mean of the
        annotators; quadratic-weighted kappa against the study&apos;s consensus, on each dimension&apos;s scale.
      </p>
      <table className="data-table">
        <thead>
          <tr>
            <th>Dimension</th>
            <th className="num">n</th>
            <th className="num">Pearson</th>
            <th className="num">Spearman</th>
            <th className="num">QWK</th>
            <th className="num">MAE</th>
            <th className="num">Within 1</th>
            <th className="num">Bias (judge − human)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} data-testid="dimension-agreement-row" data-dimension={d.id}>
              <td>
                <span className="mono">{d.id}</span>{' '}
                <span className="muted">
                  {d.scale.min}–{d.scale.max}, {d.direction === 'lower-better' ? 'lower' : 'higher'} is better
                </span>
              </td>
              <td className="num">{d.n}</td>
              <td className="num">{num(d.pearson)}</td>
              <td className="num">{num(d.spearman)}</td>
              <td className="num">{num(d.qwk)}</td>
              <td className="num">{num(d.mae)}</td>
              <td className="num">{d.within1 === null ? '—' : `${(100 * d.within1).toFixed(0)}%`}</td>
              <td className="num">{num(d.bias)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
