import { useQuery } from '@tanstack/react-query';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { MetricPlot } from '../calibration/MetricPlot.tsx';
import { generationKeys } from '../../api/queryKeys.ts';
import { fetchRealismAgreement } from './generation.api.ts';

/**
 * On a realism study's results: how well the generation pipeline's realism screen agreed with the
 * raters, over the generated scenarios the study rated: the metrics and intervals of judge
 * calibration (the screen in the judge's place; realistic is 4 or more on both sides).
 */
export function RealismScreenPanel({ studyId }: { studyId: string }) {
  const agreement = useQuery({
    queryKey: generationKeys.agreement(studyId),
    queryFn: () => fetchRealismAgreement(studyId),
  });
  if (agreement.error) return <ErrorMessage error={agreement.error} />;
  if (!agreement.data || agreement.data.scenarios === 0) return null;
  const { report, scenarios, ratings } = agreement.data;
  return (
    <section className="panel" aria-labelledby="realism-screen-title" data-testid="realism-screen-agreement">
      <h2 id="realism-screen-title">Realism screen against the raters</h2>
      <p className="muted panel-note">
        {scenarios} generated scenario{scenarios === 1 ? '' : 's'} with a model realism score, {ratings} human rating
        {ratings === 1 ? '' : 's'}; the screen in the judge’s place, realistic at ≥ 4 on both sides; 95% bootstrap
        intervals over scenarios from {report.minN} on.
      </p>
      <MetricPlot report={report.overall} minN={report.minN} />
    </section>
  );
}
