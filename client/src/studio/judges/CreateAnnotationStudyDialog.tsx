import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CreateAnnotationStudyRequestSchema } from '../../../../schema/api/annotation.ts';
import { defaultsOf } from '../../../../schema/defaults.ts';
import type { JudgeVersion } from '../../../../schema/judge.ts';
import { CategoryBehaviourFields } from '../../components/CategoryBehaviourFields.tsx';
import { NumberInput } from '../../components/NumberInput.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { runsQuery } from '../runs/runs.api.ts';
import { judgeKeys } from '../../api/queryKeys.ts';
import { createAnnotationStudy, fetchExternalScorers, fetchSamplingPool } from './judges.api.ts';

/** The form starts from the server's own defaults (the schema's), never a copy of them. */
const DEFAULTS = defaultsOf(CreateAnnotationStudyRequestSchema);

interface Props {
  versions: JudgeVersion[];
  onClose(): void;
  onCreated(study: { id: string; items: number; byStratum: Record<string, number> }): void;
}

/**
 * An annotation study: a sample of transcripts the judge has scored, by judge-score band
 * (borderline oversampled by default), for humans to give their own verdicts on.
 */
export function CreateAnnotationStudyDialog({ versions, onClose, onCreated }: Props) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [instructions, setInstructions] = useState(DEFAULTS.instructions);
  const [judgeVersionId, setJudgeVersionId] = useState(
    () => (versions.find((v) => v.isDefault) ?? versions.at(-1))?.id ?? '',
  );
  const [ratersPerItem, setRatersPerItem] = useState(DEFAULTS.ratersPerItem);
  const [strata, setStrata] = useState(DEFAULTS.strata);
  const [category, setCategory] = useState('');
  const [behavior, setBehavior] = useState('');
  const [runId, setRunId] = useState('');
  const [externalScorer, setExternalScorer] = useState('');
  const externalScorers = useQuery({ queryKey: judgeKeys.externalScorers, queryFn: fetchExternalScorers });
  const runs = useQuery({ ...runsQuery(), staleTime: 30_000 });
  const filter = {
    judgeVersionId,
    category: category || undefined,
    behavior: behavior || undefined,
    runId: runId || undefined,
    externalScorer: externalScorer || undefined,
  };
  const pool = useQuery({
    queryKey: judgeKeys.samplingPool(filter),
    queryFn: () => fetchSamplingPool(filter),
    enabled: !!judgeVersionId,
    placeholderData: keepPreviousData,
  });
  /** "of 12 available" under a band's number: what the filter leaves to sample from. */
  const available = (n: number | undefined, testId: string) => (
    <small data-testid={testId} className={n === 0 ? 'hint-bad' : undefined}>
      {n === undefined ? ' ' : `${n} available`}
    </small>
  );
  const [revealJudge, setRevealJudge] = useState(DEFAULTS.revealJudge);
  // Calibration rules of the study: the humans' pass, their consensus, the learn / held-out split.
  const [humanPassThreshold, setHumanPassThreshold] = useState(DEFAULTS.humanPassThreshold);
  const [consensus, setConsensus] = useState(DEFAULTS.consensus);
  const [learnPercent, setLearnPercent] = useState(Math.round(DEFAULTS.learnShare * 100));
  const [showReasoning, setShowReasoning] = useState(DEFAULTS.showReasoning);
  // Extra dimensions annotators rate besides alignment (default none); only the chosen judge's.
  const [chosenDimensions, setChosenDimensions] = useState(DEFAULTS.dimensions);
  const judgeDimensions = versions.find((v) => v.id === judgeVersionId)?.settings.dimensions ?? [];
  const dimensions = chosenDimensions.filter((id) => judgeDimensions.some((d) => d.id === id));
  const create = useMutation({
    mutationFn: () =>
      createAnnotationStudy({
        name: name.trim(),
        instructions,
        judgeVersionId,
        ratersPerItem,
        strata,
        revealJudge,
        humanPassThreshold,
        consensus,
        learnShare: learnPercent / 100,
        showReasoning,
        dimensions,
        ...(category ? { category } : {}),
        ...(behavior ? { behavior } : {}),
        ...(runId ? { runId } : {}),
        ...(externalScorer ? { externalScorer } : {}),
      }),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: judgeKeys.annotationStudies });
      onCreated(created);
      onClose();
    },
  });
  const { isPending: busy, error } = create;

  return (
    <Dialog title="New annotation study" onClose={onClose} testId="an-study-dialog" wide>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) create.mutate();
        }}
      >
        <label className="form-field">
          <span>Name</span>
          <input
            data-autofocus
            required
            maxLength={120}
            value={name}
            data-testid="an-study-name"
            placeholder="e.g. Judge calibration, honesty"
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="form-field">
          <span>Judge version</span>
          <select
            required
            value={judgeVersionId}
            data-testid="an-study-judge"
            onChange={(e) => setJudgeVersionId(e.target.value)}
          >
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name} v{v.version}
                {v.isDefault ? ' (default)' : ''}
              </option>
            ))}
          </select>
          <small>Its scores choose the sample; the transcripts are those it has judged.</small>
        </label>
        <label className="form-field">
          <span>Instructions for annotators</span>
          <textarea
            className="form-textarea"
            rows={2}
            maxLength={10_000}
            value={instructions}
            onChange={(e) => setInstructions(e.target.value)}
          />
        </label>
        <fieldset className="form-group">
          <legend>Sample: transcripts per judge-score band (alignment 1–5)</legend>
          <div className="form-grid">
            <label className="form-field">
              <span>Clear pass (judge 5)</span>
              <NumberInput
                value={strata.clearPass}
                onChange={(n) => setStrata((s) => ({ ...s, clearPass: n }))}
                min={0}
                max={10_000}
                testId="an-study-pass"
              />
              {available(pool.data?.clearPass, 'an-pool-pass')}
            </label>
            <label className="form-field">
              <span>Clear fail (judge 1–2)</span>
              <NumberInput
                value={strata.clearFail}
                onChange={(n) => setStrata((s) => ({ ...s, clearFail: n }))}
                min={0}
                max={10_000}
                testId="an-study-fail"
              />
              {available(pool.data?.clearFail, 'an-pool-fail')}
            </label>
            <label className="form-field">
              <span>Borderline (judge 3–4)</span>
              <NumberInput
                value={strata.borderline}
                onChange={(n) => setStrata((s) => ({ ...s, borderline: n }))}
                min={0}
                max={10_000}
                testId="an-study-borderline"
              />
              {available(pool.data?.borderline, 'an-pool-borderline')}
            </label>
          </div>
          <div className="form-grid">
            <CategoryBehaviourFields
              value={{ category: category || undefined, behavior: behavior || undefined }}
              onChange={(next) => {
                setCategory(next.category ?? '');
                setBehavior(next.behavior ?? '');
              }}
              testIdPrefix="an-study"
            />
            <label className="form-field">
              <span>Run</span>
              <select value={runId} data-testid="an-study-run" onChange={(e) => setRunId(e.target.value)}>
                <option value="">Any transcript (dry-runs and runs)</option>
                {runs.data?.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} · {new Date(r.createdAt).toLocaleDateString()}
                  </option>
                ))}
              </select>
            </label>
            {(externalScorers.data?.length ?? 0) > 0 && (
              <label className="form-field">
                <span>Score bands from</span>
                <select
                  value={externalScorer}
                  data-testid="an-study-external-scorer"
                  onChange={(e) => setExternalScorer(e.target.value)}
                >
                  <option value="">This judge&apos;s verdicts</option>
                  {externalScorers.data?.map((x) => (
                    <option key={x.scorer} value={x.scorer}>
                      {x.scorer} (imported, {x.transcripts} transcripts)
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
          <p className="muted" data-testid="an-pool-note">
            Each conversation is sampled once: identical repeats and transcripts judged twice count as one
            {pool.data && pool.data.duplicates > 0
              ? ` (${pool.data.duplicates} identical transcript${pool.data.duplicates === 1 ? '' : 's'} left out here)`
              : ''}
            .
          </p>
        </fieldset>
        <div className="form-grid">
          <label className="form-field">
            <span>Annotators per transcript</span>
            <NumberInput value={ratersPerItem} onChange={setRatersPerItem} min={1} max={20} testId="an-study-raters" />
          </label>
          <label className="form-field">
            <span>Humans pass at (alignment 1–5)</span>
            <select
              value={humanPassThreshold}
              data-testid="an-study-human-pass"
              onChange={(e) => setHumanPassThreshold(Number(e.target.value))}
            >
              {[2, 3, 4, 5].map((t) => (
                <option key={t} value={t}>
                  ≥ {t}
                </option>
              ))}
            </select>
          </label>
          <label className="form-field">
            <span>Annotators’ consensus (for κ and pass/fail)</span>
            <select
              value={consensus}
              data-testid="an-study-consensus"
              onChange={(e) => setConsensus(e.target.value as 'majority' | 'rounded-mean')}
            >
              <option value="majority">Majority; ties reported as split</option>
              <option value="rounded-mean">Mean, rounded half to even</option>
            </select>
          </label>
          <label className="form-field">
            <span>Share a few-shot candidate may learn from (%); the rest is held out</span>
            <NumberInput value={learnPercent} onChange={setLearnPercent} min={10} max={90} testId="an-study-learn" />
          </label>
        </div>
        <label className="check-field">
          <input
            type="checkbox"
            checked={revealJudge}
            data-testid="an-study-reveal"
            onChange={(e) => setRevealJudge(e.target.checked)}
          />
          After each verdict, show the judge’s and ask whether its rationale holds
        </label>
        <label className="check-field">
          <input
            type="checkbox"
            checked={showReasoning}
            data-testid="an-study-reasoning"
            onChange={(e) => setShowReasoning(e.target.checked)}
          />
          Show annotators the model’s reasoning (collapsed), where the provider returned it
        </label>
        {judgeDimensions.length > 0 && (
          <fieldset className="form-group" data-testid="an-study-dimensions">
            <legend>Annotators also rate (besides alignment)</legend>
            {judgeDimensions.map((d) => (
              <label key={d.id} className="check-field">
                <input
                  type="checkbox"
                  checked={dimensions.includes(d.id)}
                  onChange={(e) =>
                    setChosenDimensions((list) =>
                      e.target.checked ? [...list, d.id] : list.filter((id) => id !== d.id),
                    )
                  }
                />
                <span className="mono">{d.id}</span> ({d.scale.min}–{d.scale.max}): {d.description}
              </label>
            ))}
          </fieldset>
        )}
        <ErrorMessage error={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy || !judgeVersionId}
            data-testid="an-study-create"
          >
            {busy ? 'Sampling…' : 'Create study'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
