import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { JudgeVersion } from '../../../../schema/judge.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { calibrationKeys, judgeKeys } from '../../api/queryKeys.ts';
import { createJudgeVersion } from '../judges/judges.api.ts';
import { fetchThresholdSweep } from './calibration.api.ts';
import { formatCi, formatMetric } from './metrics.ts';
import styles from './calibration.module.css';

interface ThresholdSweepPanelProps {
  studyId: string;
  judge: JudgeVersion;
  onVersionMade(version: JudgeVersion): void;
}

/**
 * The judge's pass threshold that best matches the humans' pass/fail (the study's own threshold and
 * consensus, as in the report): agreement and Cohen's kappa at each threshold with their intervals,
 * the best highlighted, and a version with it.
 */
export function ThresholdSweepPanel({ studyId, judge, onVersionMade }: ThresholdSweepPanelProps) {
  const queryClient = useQueryClient();
  const sweep = useQuery({
    queryKey: calibrationKeys.sweep(studyId, judge.id),
    queryFn: () => fetchThresholdSweep(studyId, judge.id),
  });
  const [chosen, setChosen] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const best = sweep.data?.best ?? null;
  const target = chosen ?? best;

  const makeVersion = useMutation({
    mutationFn: (passThreshold: number) =>
      createJudgeVersion({
        name: judge.name,
        settings: { ...judge.settings, passThreshold },
        reason: reason.trim(),
        parentId: judge.id,
      }),
    onSuccess: async (version) => {
      await queryClient.invalidateQueries({ queryKey: judgeKeys.versions });
      setReason('');
      onVersionMade(version);
    },
  });
  const { isPending: busy, error } = makeVersion;
  const make = () => {
    if (target !== null) makeVersion.mutate(target);
  };

  return (
    <section className="panel" aria-labelledby="sweep-title" data-testid="threshold-sweep">
      <h2 id="sweep-title">Pass threshold</h2>
      <p className="muted panel-note">
        The judge passes a transcript at a score ≥ the threshold (alignment 1–5); the humans’ pass is the study’s rule,
        ≥ {sweep.data?.humanThreshold ?? 4}, as in the report. {judge.name} v{judge.version} passes at ≥{' '}
        {judge.settings.passThreshold}. “Best” is the highest κ; where the intervals overlap, the data cannot tell the
        thresholds apart.
      </p>
      <ErrorMessage error={sweep.error} />
      {sweep.data && (
        <table className={`data-table ${styles.sweepTable}`}>
          <thead>
            <tr>
              <th>Judge passes at</th>
              <th className="num">Agreement</th>
              <th className="num">Cohen’s κ</th>
              <th className={styles.sweepBarHead}>κ</th>
            </tr>
          </thead>
          <tbody>
            {sweep.data.sweep.map((s) => (
              <tr
                key={s.threshold}
                className={[s.threshold === best ? styles.best : '', s.threshold === target ? styles.chosen : ''].join(
                  ' ',
                )}
                data-testid="sweep-row"
                data-threshold={s.threshold}
                data-best={s.threshold === best}
                onClick={() => setChosen(s.threshold)}
              >
                <td>
                  ≥ {s.threshold}
                  {s.threshold === judge.settings.passThreshold && <span className="muted"> (now)</span>}
                  {s.threshold === best && <span className={`badge ${styles.badgeBest}`}>best</span>}
                </td>
                <td className="num" data-testid="sweep-agreement">
                  {formatMetric(s.agreement, 'percent')}{' '}
                  <span className={styles.ciInline}>
                    {formatCi(
                      s.ci.agreement,
                      'percent',
                      s.agreement !== null && sweep.data.transcripts < sweep.data.minN,
                    )}
                  </span>
                </td>
                <td className="num" data-testid="sweep-kappa">
                  {formatMetric(s.kappa, 'ratio')}{' '}
                  <span className={styles.ciInline}>
                    {formatCi(s.ci.kappa, 'ratio', s.kappa !== null && sweep.data.transcripts < sweep.data.minN)}
                  </span>
                </td>
                <td className={styles.sweepBarCell}>
                  <span className={styles.sweepBar} style={{ width: `${Math.max(0, (s.kappa ?? 0) * 100)}%` }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {sweep.data && target !== null && target !== judge.settings.passThreshold && (
        <form
          className={styles.sweepMake}
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy && reason.trim()) void make();
          }}
        >
          <label className="form-field">
            <span>
              Make a version of {judge.name} that passes at ≥ {target}: why
            </span>
            <input
              required
              maxLength={2000}
              value={reason}
              data-testid="sweep-reason"
              placeholder={`e.g. ≥ ${target} matches the humans’ pass/fail best on ${studyId}`}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
          <button type="submit" className="btn btn-sm" disabled={busy || !reason.trim()} data-testid="sweep-make">
            {busy ? 'Making…' : `Make a version with pass ≥ ${target}`}
          </button>
        </form>
      )}
      {sweep.data && target === judge.settings.passThreshold && (
        <p className="muted">The current threshold is the best here. Click a row to try another.</p>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
