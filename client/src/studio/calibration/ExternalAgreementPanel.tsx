import { useQuery } from '@tanstack/react-query';
import { api, readJson } from '../../api/client.ts';
import { calibrationKeys } from '../../api/queryKeys.ts';

type Metrics = {
  n: number;
  pearson: number | null;
  spearman: number | null;
  mae: number | null;
  qwk: number | null;
  passAgreement: number | null;
  passKappa: number | null;
  bias: number | null;
};

const num = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? '—' : x.toFixed(digits));
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(0)}%`);

/**
 * Other tools' judges (Bloom's, Petri's, an Inspect scorer) on the study's imported transcripts,
 * measured as one more judge: against the annotators with the report's metrics, against this
 * study's Crucible judge, and that judge against the annotators on the same transcripts.
 */
export function ExternalAgreementPanel({ studyId }: { studyId: string }) {
  const q = useQuery({
    queryKey: calibrationKeys.external(studyId),
    queryFn: async () => readJson(await api.calibration.external.$get({ query: { studyId } })),
  });
  const scorers = q.data?.scorers ?? [];
  if (scorers.length === 0) return null;
  const row = (label: string, m: Metrics | undefined, n: number | undefined, testId: string) => (
    <tr data-testid={testId}>
      <td>{label}</td>
      <td className="num">{n ?? '—'}</td>
      <td className="num">{num(m?.mae)}</td>
      <td className="num">{num(m?.spearman)}</td>
      <td className="num">{num(m?.qwk)}</td>
      <td className="num">{pct(m?.passAgreement)}</td>
      <td className="num">{num(m?.passKappa)}</td>
      <td className="num">{num(m?.bias)}</td>
    </tr>
  );
  return (
    <section className="panel" aria-labelledby="external-agreement-title" data-testid="external-agreement">
      <h2 id="external-agreement-title">External judges</h2>
      <p className="muted">
        Scores imported with the transcripts, placed on the alignment scale (1–5, pass at{' '}
        {q.data?.externalPassThreshold}) and compared like a judge: with the annotators, with this study&apos;s judge,
        and beside that judge on the same transcripts.
      </p>
      {scorers.map((s) => (
        <table key={s.scorer} className="data-table" data-testid="external-scorer" data-scorer={s.scorer}>
          <caption>
            <span className="mono">{s.scorer}</span>{' '}
            <span className="muted">
              {s.scale
                ? `${s.scale.min}–${s.scale.max}, ${s.direction === 'lower-better' ? 'lower' : 'higher'} is better`
                : ''}
            </span>
          </caption>
          <thead>
            <tr>
              <th>Comparison</th>
              <th className="num">n</th>
              <th className="num">MAE</th>
              <th className="num">Spearman</th>
              <th className="num">QWK</th>
              <th className="num">Pass agreement</th>
              <th className="num">Pass κ</th>
              <th className="num">Bias</th>
            </tr>
          </thead>
          <tbody>
            {row(`${s.scorer} vs our raters`, s.vsHumans.metrics, s.transcripts, 'external-vs-humans')}
            {row(`${s.scorer} vs our judge`, s.vsJudge?.metrics.metrics, s.vsJudge?.transcripts, 'external-vs-judge')}
            {row(
              'Our judge vs our raters (same transcripts)',
              s.judgeVsHumans?.metrics.metrics,
              s.judgeVsHumans?.transcripts,
              'judge-vs-humans',
            )}
          </tbody>
        </table>
      ))}
    </section>
  );
}
