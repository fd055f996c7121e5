import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { RunSettingsSchema } from '../../../../schema/api/runs.ts';
import { defaultsOf } from '../../../../schema/defaults.ts';
import { navigate } from '../../app/navigation.ts';
import { fetchRunScopeCount } from '../../api/scenarios.api.ts';
import { CategoryBehaviourFields } from '../../components/CategoryBehaviourFields.tsx';
import { NumberInput } from '../../components/NumberInput.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { modelsQuery } from '../dryrun/dryrun.api.ts';
import { judgeLabel, useJudgeVersions } from './RunBadges.tsx';
import { runKeys } from '../../api/queryKeys.ts';
import { createRun, type RunScope } from './runs.api.ts';
import { QuickRunField } from './QuickRunField.tsx';
import runsStyles from './runs.module.css';
import styles from './NewRunDialog.module.css';

const SCOPES: { value: RunScope['scope']; label: string; hint: string }[] = [
  { value: 'validated', label: 'Validated', hint: 'scenarios that meet a realism study’s rule' },
  { value: 'ready', label: 'Ready', hint: 'scenarios with status ready' },
  { value: 'all', label: 'All', hint: 'every valid scenario that is not retired' },
];
/** The form starts from the server's own defaults (the schema's), never a copy of them. */
const DEFAULTS = defaultsOf(RunSettingsSchema);

/** Starts a benchmark run: target models, which scenarios, repeats, the judge, and how hard to push the providers. */
export function NewRunDialog({ onClose }: { onClose(): void }) {
  const queryClient = useQueryClient();
  const models = useQuery(modelsQuery());
  const judges = useJudgeVersions();
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [filter, setFilter] = useState<RunScope>({ scope: DEFAULTS.filter.scope });
  const [repeats, setRepeats] = useState(DEFAULTS.repeats);
  const [judgeVersionId, setJudgeVersionId] = useState<string>('');
  const [concurrency, setConcurrency] = useState(DEFAULTS.concurrency);
  const [perProvider, setPerProvider] = useState(DEFAULTS.perProviderConcurrency);
  const [useCache, setUseCache] = useState(DEFAULTS.useCache);
  /** A quick run: about this many anchor scenarios (null: the full selection). */
  const [quickK, setQuickK] = useState<number | null>(null);

  const inScope = useQuery({
    queryKey: runKeys.scope(filter),
    // Counted by the server as a run selects (issue 20): no list of scenarios comes to the browser.
    queryFn: ({ signal }) => fetchRunScopeCount(filter, signal),
    placeholderData: keepPreviousData,
  });
  const defaultJudge = judges.data?.find((j) => j.isDefault);
  const roleModels = new Set(Object.values(models.data?.roles ?? {}).filter((v): v is string => typeof v === 'string'));
  const judgeModels = new Set(judges.data?.map((j) => j.settings.model));
  const scenarios = inScope.data?.scenarios ?? null;
  const variants = inScope.data?.variants ?? null;
  const items = variants === null ? null : variants * chosen.length * (Number.isNaN(repeats) ? 1 : repeats);

  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));

  const start = useMutation({
    mutationFn: () =>
      createRun({
        name: name.trim(),
        settings: {
          models: chosen,
          repeats,
          filter: {
            scope: filter.scope,
            ...(filter.category ? { category: filter.category } : {}),
            ...(filter.behavior ? { behavior: filter.behavior } : {}),
          },
          ...(judgeVersionId ? { judgeVersionId } : {}),
          concurrency,
          perProviderConcurrency: perProvider,
          useCache,
        },
        ...(quickK !== null ? { quick: { k: quickK } } : {}),
      }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: runKeys.all });
      onClose();
      navigate(`/studio/runs/${created.id}`);
    },
  });
  const { isPending: busy, error } = start;

  return (
    <Dialog title="New benchmark run" onClose={onClose} testId="new-run-dialog" wide>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) start.mutate();
        }}
      >
        <label className="form-field">
          <span>Name</span>
          <input
            data-autofocus
            required
            maxLength={120}
            value={name}
            data-testid="run-name"
            placeholder="e.g. Frontier models, November"
            onChange={(e) => setName(e.target.value)}
          />
        </label>

        <fieldset className={styles.runFormGroup}>
          <legend>Target models</legend>
          {models.error && <ErrorMessage error={models.error} />}
          {models.data && models.data.models.length === 0 && (
            <p className={`muted ${styles.runFormNote}`}>
              No models are configured. Add them to {models.data.configPath}.
            </p>
          )}
          <div className={styles.runModelGrid} data-testid="run-models">
            {models.data?.models.map((m) => (
              <label
                key={m.id}
                className={m.ready ? styles.runModel : `${styles.runModel} ${styles.notReady}`}
                title={m.problem ?? `${m.provider} · ${m.model}`}
              >
                <input
                  type="checkbox"
                  checked={chosen.includes(m.id)}
                  disabled={!m.ready}
                  data-testid={`run-model-${m.id}`}
                  onChange={() => toggle(m.id)}
                />
                <span className={styles.runModelId}>{m.id}</span>
                <span className={`muted ${styles.runModelMeta}`}>
                  {m.provider}
                  {roleModels.has(m.id) ? ' · helper role' : ''}
                  {judgeModels.has(m.id) ? ' · judge' : ''}
                  {!m.ready && ' · key not set'}
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset className={styles.runFormGroup}>
          <legend>Scenarios</legend>
          <div className={styles.runScope} role="radiogroup" aria-label="Scope">
            {SCOPES.map((s) => (
              <label
                key={s.value}
                className={
                  filter.scope === s.value
                    ? `${runsStyles.runScopeOption} ${runsStyles.active}`
                    : runsStyles.runScopeOption
                }
              >
                <input
                  type="radio"
                  name="scope"
                  value={s.value}
                  checked={filter.scope === s.value}
                  data-testid={`run-scope-${s.value}`}
                  onChange={() => setFilter((f) => ({ ...f, scope: s.value }))}
                />
                <span>
                  <strong>{s.label}</strong>
                  <small className="muted">{s.hint}</small>
                </span>
              </label>
            ))}
          </div>
          <div className={styles.runFormGrid}>
            <CategoryBehaviourFields
              value={filter}
              onChange={(next) => setFilter((f) => ({ ...f, ...next }))}
              testIdPrefix="run"
            />
            <label className="form-field">
              <span>Repeats</span>
              <NumberInput value={repeats} onChange={setRepeats} min={1} max={20} testId="run-repeats" />
            </label>
          </div>
          <QuickRunField k={quickK} onChange={setQuickK} />
          <p className={styles.runSelection} data-testid="run-selection" aria-live="polite">
            {quickK !== null ? (
              <>
                About <strong>{Number.isNaN(quickK) ? '?' : quickK}</strong> anchor scenarios × {chosen.length} model
                {chosen.length === 1 ? '' : 's'} × {Number.isNaN(repeats) ? '?' : repeats} repeat
                {repeats === 1 ? '' : 's'} <span className="muted">· the scope and filter above do not apply</span>
              </>
            ) : inScope.error ? (
              'Cannot count the scenarios.'
            ) : scenarios === null ? (
              'Counting…'
            ) : (
              <>
                <strong>{scenarios}</strong> scenario{scenarios === 1 ? '' : 's'}
                {variants !== scenarios && ` (${variants} variants)`} × {chosen.length} model
                {chosen.length === 1 ? '' : 's'} × {Number.isNaN(repeats) ? '?' : repeats} repeat
                {repeats === 1 ? '' : 's'} = <strong>{items}</strong> item{items === 1 ? '' : 's'}
                {scenarios === 0 && filter.scope === 'validated' && (
                  <span className="muted">
                    {' '}
                    · nothing is validated here yet: run a realism study, or choose Ready or All
                  </span>
                )}
              </>
            )}
          </p>
        </fieldset>

        <fieldset className={styles.runFormGroup}>
          <legend>Judge and execution</legend>
          <div className={styles.runFormGrid}>
            <label className={`form-field ${styles.runJudgeField}`}>
              <span>Judge version</span>
              <select
                value={judgeVersionId}
                data-testid="run-judge"
                onChange={(e) => setJudgeVersionId(e.target.value)}
              >
                <option value="">
                  {defaultJudge ? `Default: ${judgeLabel(defaultJudge)}` : 'Default judge (none yet)'}
                </option>
                {judges.data?.map((j) => (
                  <option key={j.id} value={j.id}>
                    {judgeLabel(j)}
                    {j.isDefault ? ' (default)' : ''}
                  </option>
                ))}
              </select>
              {judges.data?.length === 0 && (
                <small className={runsStyles.runBad}>
                  No judge yet: transcripts are kept, and scored once a judge exists.
                </small>
              )}
            </label>
            <label className="form-field">
              <span>Concurrency</span>
              <NumberInput value={concurrency} onChange={setConcurrency} min={1} max={256} testId="run-concurrency" />
              <small>Items in flight at once.</small>
            </label>
            <label className="form-field">
              <span>Per provider</span>
              <NumberInput value={perProvider} onChange={setPerProvider} min={1} max={256} testId="run-per-provider" />
              <small>Items in flight per provider.</small>
            </label>
          </div>
          <label className={runsStyles.runCheck}>
            <input
              type="checkbox"
              checked={useCache}
              data-testid="run-use-cache"
              onChange={(e) => setUseCache(e.target.checked)}
            />
            Reuse cached transcripts{' '}
            <span className="muted">(same scenario version, model, parameters, seed and repeat: no model calls)</span>
          </label>
        </fieldset>

        <ErrorMessage error={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy || chosen.length === 0 || (quickK === null ? scenarios === 0 : Number.isNaN(quickK))}
            data-testid="start-run"
          >
            {busy ? 'Starting…' : 'Start run'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
