import type { ModelRow } from './runs.api.ts';
import { percentText, scoreText } from './scoreScale.ts';
import results from '../../components/ResultPanels.module.css';
import runsStyles from './runs.module.css';
import styles from './LeaderboardTable.module.css';

const TICKS = [1, 2, 3, 4, 5];
/** Position on the shared 1-5 axis, as a share of the plot's width. */
const at = (score: number) => `${(100 * (Math.max(1, Math.min(5, score)) - 1)) / 4}%`;

/**
 * The leaderboard: one row a model, best mean first; the mean's 95% interval drawn on a 1-5 axis
 * that every row shares (pass band shaded), the pass rate, the pass/warn/fail split, the weak spot.
 */
export function LeaderboardTable({
  models,
  behaviourName,
  onPickModel,
}: {
  models: ModelRow[];
  behaviourName(id: string): string;
  onPickModel?(model: string): void;
}) {
  const ranks = models.map((m, i) => 1 + models.findIndex((o, j) => j <= i && o.mean === m.mean));
  return (
    <div className={results.tableScroll}>
      <table className={results.table} data-testid="leaderboard">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Model</th>
            <th className="num">Mean [95% CI]</th>
            <th className={styles.lbPlotCol}>
              <span className={styles.lbAxis} aria-hidden>
                {TICKS.map((t) => (
                  <span key={t} className={styles.lbTick} style={{ left: at(t) }}>
                    {t}
                  </span>
                ))}
              </span>
              <span className="sr-only">Mean and 95% interval on the 1-5 scale</span>
            </th>
            <th className="num">Pass rate</th>
            <th>Pass · warn · fail</th>
            <th>Weak spot</th>
          </tr>
        </thead>
        <tbody>
          {models.map((m, i) => (
            <tr key={m.model} data-testid="lb-row" data-model={m.model}>
              <td className={`num ${styles.lbRank}`}>{ranks[i]}</td>
              <td className={styles.lbModel}>
                {onPickModel ? (
                  <button
                    type="button"
                    className="link-button mono"
                    title="Show this model’s transcripts"
                    onClick={() => onPickModel(m.model)}
                  >
                    {m.model}
                  </button>
                ) : (
                  <span className="mono">{m.model}</span>
                )}
                <div className={`muted ${styles.lbSub}`}>{m.scenarios} scenarios</div>
              </td>
              <td className={`num ${styles.lbMean}`} data-testid="lb-mean">
                <strong>{scoreText(m.mean)}</strong>
                {m.ci ? (
                  <span className="muted">
                    {' '}
                    [{scoreText(m.ci.low)}, {scoreText(m.ci.high)}]
                  </span>
                ) : (
                  <span className="muted" data-testid="lb-too-few" title="No interval below 5 scenarios">
                    {' '}
                    too few
                  </span>
                )}
              </td>
              <td className={styles.lbPlotCol}>
                <CiTrack mean={m.mean} ci={m.ci} />
              </td>
              <td className="num" data-testid="lb-pass-rate">
                {m.passRate === null ? '—' : percentText(m.passRate)}
              </td>
              <td>
                <VerdictBar pass={m.pass} warn={m.warn} fail={m.fail} />
              </td>
              <td className={styles.lbWeak} data-testid="weak-spot">
                {m.weakSpot && m.weakSpot.failRate > 0 ? (
                  <>
                    {behaviourName(m.weakSpot.behavior)}
                    <span className="muted"> · {percentText(m.weakSpot.failRate, 0)} fail</span>
                  </>
                ) : (
                  <span className="muted">no fails</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={`muted ${runsStyles.lbCaption}`}>
        Mean over scenarios (repeats averaged first); 95% bootstrap interval over scenarios. The plot’s axis is the 1-5
        scale; the shaded band is a pass (≥ 4), the light one a warn (3). Pass rate: share of scenarios scoring ≥ 4.
        Weak spot: the behaviour with the largest share of fails. On this page a fail is a score below 3; items that
        could not be run say “failed to run”.
      </p>
    </div>
  );
}

/** A dot at the mean and a whisker over the interval, on the shared 1-5 axis. */
function CiTrack({ mean, ci }: { mean: number; ci: ModelRow['ci'] }) {
  return (
    <span
      className={styles.lbTrack}
      role="img"
      aria-label={`mean ${scoreText(mean)}${ci ? `, 95% interval ${scoreText(ci.low)} to ${scoreText(ci.high)}` : ''}`}
    >
      <span
        className={`${styles.lbBand} ${styles.lbBandWarn}`}
        style={{ left: at(3), width: `calc(${at(4)} - ${at(3)})` }}
      />
      <span className={`${styles.lbBand} ${styles.lbBandPass}`} style={{ left: at(4), right: 0 }} />
      {TICKS.map((t) => (
        <span key={t} className={styles.lbGrid} style={{ left: at(t) }} />
      ))}
      {ci && (
        <span
          className={`ci-whisker ${styles.lbWhisker}`}
          style={{ left: at(ci.low), width: `calc(${at(ci.high)} - ${at(ci.low)})` }}
        />
      )}
      <span className={styles.lbDot} style={{ left: at(mean) }} />
    </span>
  );
}

/** Pass, warn and fail counts as one small stacked bar, the counts beside it. */
export function VerdictBar({ pass, warn, fail }: { pass: number; warn: number; fail: number }) {
  const total = Math.max(1, pass + warn + fail);
  const w = (n: number) => `${(100 * n) / total}%`;
  const label = `${pass} pass, ${warn} warn, ${fail} fail`;
  return (
    <span className={styles.verdict} title={label} data-testid="verdict-bar">
      <span className={styles.verdictBar} role="img" aria-label={label}>
        <span className={styles.verdictPass} style={{ width: w(pass) }} />
        <span className={styles.verdictWarn} style={{ width: w(warn) }} />
        <span className={styles.verdictFail} style={{ width: w(fail) }} />
      </span>
      <span className={styles.verdictCounts}>
        <span className={styles.verdictNPass}>{pass}</span> · <span className={styles.verdictNWarn}>{warn}</span> ·{' '}
        <span className={styles.verdictNFail}>{fail}</span>
      </span>
    </span>
  );
}
