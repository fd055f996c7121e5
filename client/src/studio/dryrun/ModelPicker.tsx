import { HUMAN_MODEL, type ModelsResponse } from '../../../../schema/api/dryruns.ts';
import { paramsText } from './runFormat.ts';
import styles from './dryrun.module.css';

interface ModelPickerProps {
  models: ModelsResponse['models'];
  value: string;
  onChange(id: string): void;
  disabled: boolean;
}

/** The target model: each configured one, and playing the model yourself. */
export function ModelPicker({ models, value, onChange, disabled }: ModelPickerProps) {
  return (
    <label className={styles.dryrunModel}>
      <span className={styles.dryrunModelLabel}>Model</span>
      <select
        data-testid="dryrun-model"
        aria-label="Target model"
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        title="The model the scenario runs against"
      >
        {models.length > 0 && (
          <optgroup label="Configured models">
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
                {m.ready ? '' : ' (not ready)'}
              </option>
            ))}
          </optgroup>
        )}
        <option value={HUMAN_MODEL}>Play the model (type its replies)</option>
      </select>
    </label>
  );
}

/** What the chosen model is, its parameters, and why it cannot be called if it cannot. */
export function ModelInfoLine({ models, value }: { models: ModelsResponse['models']; value: string }) {
  if (value === HUMAN_MODEL) {
    return (
      <div className={styles.dryrunModelInfo} data-testid="dryrun-model-info">
        You type the model&rsquo;s reply to each turn; tools are not called.
      </div>
    );
  }
  const m = models.find((x) => x.id === value);
  if (!m) return null;
  return (
    <div className={styles.dryrunModelInfo} data-testid="dryrun-model-info">
      <span className="mono">
        {m.provider}/{m.model}
      </span>
      <span className="dot">·</span>
      <span data-testid="dryrun-model-params">{paramsText(m.params)}</span>
      {!m.ready && (
        <div className={styles.dryrunModelProblem} role="alert" data-testid="dryrun-model-problem">
          This model cannot be called: {m.problem ?? 'it is not ready'}.
        </div>
      )}
    </div>
  );
}
