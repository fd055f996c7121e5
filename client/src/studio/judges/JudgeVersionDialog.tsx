import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { defaultsOf } from '../../../../schema/defaults.ts';
import {
  DEFAULT_DIMENSIONS,
  DEFAULT_JUDGE_PROMPT,
  JudgeSettingsSchema,
  type JudgeSettings,
  type JudgeVersion,
} from '../../../../schema/judge.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { judgeKeys } from '../../api/queryKeys.ts';
import { createJudgeVersion, fetchModelIds } from './judges.api.ts';
import marks from '../../components/judgeMarks.module.css';
import styles from './judges.module.css';

interface JudgeVersionDialogProps {
  /** The version this one starts from; none for a new judge. */
  base: JudgeVersion | null;
  onClose(): void;
  onCreated?(version: JudgeVersion): void;
}

/** A new judge: the schema's defaults, the default prompt, and the suggested dimensions (the schema's default is none). */
const NEW_SETTINGS = (model: string): JudgeSettings => ({
  ...defaultsOf(JudgeSettingsSchema),
  model,
  promptTemplate: DEFAULT_JUDGE_PROMPT,
  dimensions: DEFAULT_DIMENSIONS,
});

/**
 * A new judge, or a new version of one: every setting, and why. A version is never edited: saving
 * here always adds one, so the scores an older version gave keep meaning what they meant.
 */
export function JudgeVersionDialog({ base, onClose, onCreated }: JudgeVersionDialogProps) {
  const queryClient = useQueryClient();
  const models = useQuery({ queryKey: judgeKeys.models, queryFn: fetchModelIds, staleTime: 60_000 });
  const [name, setName] = useState(base?.name ?? '');
  const [settings, setSettings] = useState<JudgeSettings>(() =>
    base ? structuredClone(base.settings) : NEW_SETTINGS(''),
  );
  const [reason, setReason] = useState(base ? '' : 'First version.');
  const [dimensionsText, setDimensionsText] = useState(() => JSON.stringify(settings.dimensions, null, 2));
  const [dimensionsError, setDimensionsError] = useState<string | null>(null);
  const patch = (p: Partial<JudgeSettings>) => setSettings((s) => ({ ...s, ...p }));
  const model = settings.model || models.data?.find((m) => m.ready)?.id || models.data?.[0]?.id || '';

  const save = useMutation({
    // A version made from `base` records it as its parent, even when newer versions exist.
    mutationFn: (dimensions: JudgeSettings['dimensions']) =>
      createJudgeVersion({
        name: name.trim(),
        settings: { ...settings, model, dimensions },
        reason: reason.trim(),
        parentId: base && base.name === name.trim() ? base.id : undefined,
      }),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: judgeKeys.versions });
      onCreated?.(created);
      onClose();
    },
  });
  const { isPending: busy, error } = save;

  const submit = () => {
    let dimensions: JudgeSettings['dimensions'];
    try {
      dimensions = JSON.parse(dimensionsText || '[]') as JudgeSettings['dimensions'];
      setDimensionsError(null);
    } catch (e) {
      setDimensionsError(`Dimensions are not valid JSON: ${(e as Error).message}`);
      return;
    }
    save.mutate(dimensions);
  };

  const number = (
    value: number,
    set: (n: number) => void,
    opts: { min: number; max: number; step?: number; testId: string },
  ) => (
    <input
      type="number"
      required
      min={opts.min}
      max={opts.max}
      step={opts.step ?? 1}
      value={Number.isNaN(value) ? '' : value}
      data-testid={opts.testId}
      onChange={(e) => set(e.target.valueAsNumber)}
    />
  );

  return (
    <Dialog
      title={base ? `New version of ${base.name} (from v${base.version})` : 'New judge'}
      onClose={onClose}
      testId="judge-dialog"
      wide
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) submit();
        }}
      >
        {!base && (
          <label className="form-field">
            <span>Name</span>
            <input
              data-autofocus
              required
              maxLength={80}
              value={name}
              data-testid="judge-name"
              placeholder="e.g. primary"
              onChange={(e) => setName(e.target.value)}
            />
            <small>A name that exists already gets a new version.</small>
          </label>
        )}
        <div className="form-grid">
          <label className="form-field">
            <span>Model</span>
            <select required value={model} data-testid="judge-model" onChange={(e) => patch({ model: e.target.value })}>
              {!models.data && <option value="">Loading…</option>}
              {models.data?.length === 0 && <option value="">No models configured</option>}
              {models.data?.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.id}
                  {m.ready ? '' : ' (no key)'}
                </option>
              ))}
              {settings.model && models.data && !models.data.some((m) => m.id === settings.model) && (
                <option value={settings.model}>{settings.model} (not configured)</option>
              )}
            </select>
          </label>
          <label className="form-field">
            <span>Pass threshold</span>
            <select
              value={settings.passThreshold}
              data-testid="judge-threshold"
              onChange={(e) => patch({ passThreshold: Number(e.target.value) })}
            >
              {[2, 3, 4, 5].map((t) => (
                <option key={t} value={t}>
                  pass ≥ {t}
                </option>
              ))}
            </select>
          </label>
          <label className="form-field">
            <span>Samples per verdict</span>
            {number(settings.samples, (n) => patch({ samples: n }), { min: 1, max: 9, testId: 'judge-samples' })}
          </label>
          <label className="form-field">
            <span>Combined by</span>
            <select
              value={settings.combine}
              onChange={(e) => patch({ combine: e.target.value as JudgeSettings['combine'] })}
            >
              <option value="median">median</option>
              <option value="mean-rounded">mean, rounded</option>
            </select>
          </label>
          <label className="form-field">
            <span>Tries per sample</span>
            {number(settings.maxAttempts, (n) => patch({ maxAttempts: n }), {
              min: 1,
              max: 5,
              testId: 'judge-attempts',
            })}
          </label>
          <label className="form-field">
            <span>Temperature</span>
            {number(settings.temperature, (n) => patch({ temperature: n }), {
              min: 0,
              max: 2,
              step: 0.1,
              testId: 'judge-temperature',
            })}
          </label>
        </div>
        <label className="check-field">
          <input
            type="checkbox"
            checked={settings.showReasoning}
            data-testid="judge-show-reasoning"
            onChange={(e) => patch({ showReasoning: e.target.checked })}
          />{' '}
          The judge sees the model&apos;s reasoning (thinking parts, where the provider returned them)
        </label>
        <label className="form-field">
          <span>Dimensions besides alignment (JSON)</span>
          <textarea
            className="form-textarea mono"
            rows={6}
            value={dimensionsText}
            data-testid="judge-dimensions"
            spellCheck={false}
            onChange={(e) => setDimensionsText(e.target.value)}
          />
          <small>
            Each: {'{"id", "description", "scale": {"min", "max"}, "direction": "higher-better" | "lower-better"}'}.
            Alignment (1–5, pass at the threshold) is always the primary dimension. [] scores alignment only.
          </small>
          {dimensionsError && <p className="form-error">{dimensionsError}</p>}
        </label>
        <label className="form-field">
          <span>Prompt template</span>
          <textarea
            className={`form-textarea ${styles.judgePrompt} mono`}
            rows={14}
            required
            minLength={20}
            value={settings.promptTemplate}
            data-testid="judge-prompt"
            spellCheck={false}
            onChange={(e) => patch({ promptTemplate: e.target.value })}
          />
          <small>
            Placeholders:{' '}
            {
              '{{scenario}} {{system_prompt}} {{documents}} {{tools}} {{rubric}} {{pass_criteria}} {{fail_criteria}} {{anchors}} {{red_flags}} {{reasoning}} {{examples}} {{transcript}}'
            }
            . The judge answers a score on the alignment scale (1–5, higher is better), the criteria met with quotes,
            and a rationale.{' '}
            {settings.promptTemplate !== DEFAULT_JUDGE_PROMPT && (
              <button
                type="button"
                className="link-button"
                onClick={() => patch({ promptTemplate: DEFAULT_JUDGE_PROMPT })}
              >
                Reset to the default prompt
              </button>
            )}
          </small>
        </label>
        {settings.fewShot.length > 0 && (
          <fieldset className="form-group">
            <legend>Few-shot examples ({settings.fewShot.length})</legend>
            <ul className={styles.fewshotList} data-testid="judge-fewshot">
              {settings.fewShot.map((ex, i) => (
                <li key={i}>
                  <span className={marks.scoreChip} title="alignment 1–5, higher is better">
                    {ex.score}
                  </span>
                  <span className={styles.fewshotText}>
                    {ex.rationale}
                    {ex.source && <span className="muted"> · {ex.source}</span>}
                  </span>
                  <button
                    type="button"
                    className="btn btn-sm btn-danger-quiet"
                    onClick={() => patch({ fewShot: settings.fewShot.filter((_, k) => k !== i) })}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          </fieldset>
        )}
        <label className="form-field">
          <span>Why this version</span>
          <textarea
            className="form-textarea"
            rows={2}
            required
            maxLength={2000}
            value={reason}
            data-autofocus={base ? true : undefined}
            data-testid="judge-reason"
            placeholder="e.g. v1 is harsh on partial answers"
            onChange={(e) => setReason(e.target.value)}
          />
          <small>Recorded with who and when.</small>
        </label>
        <ErrorMessage error={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy || !model || !reason.trim()}
            data-testid="judge-save"
          >
            {busy ? 'Saving…' : base ? 'Save as a new version' : 'Create judge'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
