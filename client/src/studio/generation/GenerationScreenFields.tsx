import { GenerationJobSettingsSchema } from '../../../../schema/generation.ts';
import { defaultsOf } from '../../../../schema/defaults.ts';
import { NumberInput } from '../../components/NumberInput.tsx';
import styles from './generation.module.css';

/** The screens' settings a job starts from: the schema's own defaults. */
export const SCREEN_DEFAULTS = (() => {
  const { duplicateThreshold, realismThreshold, concurrency } = defaultsOf(GenerationJobSettingsSchema);
  return { screenModel: '', duplicateThreshold, realismThreshold, concurrency };
})();
export type ScreenSettings = typeof SCREEN_DEFAULTS;

/** False while a number field is empty (it reads as NaN): the job cannot start with a hole in its settings. */
export function screensComplete(s: ScreenSettings): boolean {
  return [s.duplicateThreshold, s.realismThreshold, s.concurrency].every(Number.isFinite);
}

/**
 * The screens and limits of a generation job, folded away: most jobs keep the defaults, but a
 * corpus of close variations wants a higher near-duplicate threshold, and a strict realism bar a
 * higher score.
 */
export function GenerationScreenFields({
  value,
  models,
  generatorId,
  onChange,
}: {
  value: ScreenSettings;
  models: string[];
  generatorId: string;
  onChange(next: ScreenSettings): void;
}) {
  const set = (patch: Partial<ScreenSettings>) => onChange({ ...value, ...patch });
  return (
    <details className={styles.generationScreens} data-testid="generation-screens">
      <summary>Screens and limits</summary>
      <label>
        Screen with{' '}
        <select
          value={value.screenModel}
          data-testid="generation-screen-model"
          onChange={(e) => set({ screenModel: e.target.value })}
        >
          <option value="">the generator ({generatorId || 'none ready'})</option>
          {models.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <label title="Estimated word overlap (Jaccard) with a scenario or an earlier candidate at or above which a candidate is a near-duplicate">
        Near-duplicate at overlap{' '}
        <NumberInput
          value={value.duplicateThreshold}
          min={0.05}
          max={1}
          step={0.05}
          testId="generation-duplicate-threshold"
          onChange={(duplicateThreshold) => set({ duplicateThreshold })}
        />
      </label>
      <label title="Candidates the realism screen scores below this (1-5) are screened out">
        Realism at least{' '}
        <NumberInput
          value={value.realismThreshold}
          min={1}
          max={5}
          testId="generation-realism-threshold"
          onChange={(realismThreshold) => set({ realismThreshold })}
        />
      </label>
      <label title="Model calls at once">
        Concurrency{' '}
        <NumberInput
          value={value.concurrency}
          min={1}
          max={64}
          testId="generation-concurrency"
          onChange={(concurrency) => set({ concurrency })}
        />
      </label>
    </details>
  );
}
