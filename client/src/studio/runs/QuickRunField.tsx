import { NumberInput } from '../../components/NumberInput.tsx';
import styles from './runs.module.css';
import quickStyles from './QuickRun.module.css';

/**
 * The new-run dialog's quick-run choice: run only an anchor subset of about k scenarios, chosen from
 * the judge's earlier runs, and read estimated full-benchmark scores with their error.
 */
export function QuickRunField({ k, onChange }: { k: number | null; onChange(k: number | null): void }) {
  return (
    <div className={quickStyles.runQuick} data-testid="run-quick">
      <label className={styles.runCheck}>
        <input
          type="checkbox"
          checked={k !== null}
          data-testid="run-quick-toggle"
          onChange={(e) => onChange(e.target.checked ? 10 : null)}
        />
        Quick run{' '}
        <span className="muted">(only an anchor subset; its leaderboard estimates full-benchmark scores)</span>
      </label>
      {k !== null && (
        <label className={`form-field ${quickStyles.runQuickK}`}>
          <span>Anchor scenarios (about)</span>
          <NumberInput value={k} onChange={onChange} min={1} max={10_000} testId="run-quick-k" />
          <small>
            Chosen from the models that ran every scenario under the judge version (tinyBenchmarks anchor points, at
            least one per category).
          </small>
        </label>
      )}
    </div>
  );
}
