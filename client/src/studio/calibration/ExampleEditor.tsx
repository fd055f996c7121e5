import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { JudgeVersion } from '../../../../schema/judge.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { AnnotatorVerdict } from './AnnotatorVerdict.tsx';
import { makeFewShotVersion, type Disagreement, type ExampleDraft } from './calibration.api.ts';
import styles from './calibration.module.css';

interface ExampleEditorProps {
  studyId: string;
  judge: JudgeVersion;
  chosen: Disagreement[];
  onCancel(): void;
  onMade(version: JudgeVersion): void;
}

/**
 * The chosen transcripts as few-shot examples, settled by hand before the version is made: each
 * annotator's verdict and reason in view, and the red-flag status. When the annotators agree the
 * score is filled in; when they disagree the author chooses it and writes (or takes) one rationale:
 * scores are never averaged and reasons never glued together behind the author's back.
 */
export function ExampleEditor({ studyId, judge, chosen, onCancel, onMade }: ExampleEditorProps) {
  const [drafts, setDrafts] = useState<Record<string, { score: number | null; rationale: string }>>(() =>
    Object.fromEntries(
      chosen.map((d) => {
        const scores = [...new Set(d.humanReasons.map((h) => h.score))];
        return [
          d.transcriptId,
          {
            score: scores.length === 1 ? scores[0]! : null,
            rationale: d.humanReasons.length === 1 ? d.humanReasons[0]!.reason : '',
          },
        ];
      }),
    ),
  );
  const [reason, setReason] = useState('');
  const set = (id: string, patch: Partial<{ score: number | null; rationale: string }>) =>
    setDrafts((all) => ({ ...all, [id]: { ...all[id]!, ...patch } }));
  const incomplete = chosen.filter(
    (d) => drafts[d.transcriptId]!.score === null || !drafts[d.transcriptId]!.rationale.trim(),
  );

  const makeVersion = useMutation({
    mutationFn: () => {
      const examples: ExampleDraft[] = chosen.map((d) => ({
        transcriptId: d.transcriptId,
        score: drafts[d.transcriptId]!.score!,
        rationale: drafts[d.transcriptId]!.rationale.trim(),
      }));
      return makeFewShotVersion(studyId, judge.id, examples, reason.trim());
    },
    onSuccess: (version) => onMade(version),
  });
  const { isPending: busy, error } = makeVersion;
  const make = () => makeVersion.mutate();

  return (
    <form
      className={styles.exampleEditor}
      data-testid="example-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy && reason.trim() && incomplete.length === 0) void make();
      }}
    >
      <p className="muted">
        Settle each example before the version is made: the score and the rationale the judge will see. Where the
        annotators disagree, choose the score yourself and write one rationale (or take one annotator’s).
      </p>
      <ol className={styles.exampleList}>
        {chosen.map((d) => {
          const draft = drafts[d.transcriptId]!;
          const disagree = new Set(d.humanReasons.map((h) => h.score)).size > 1;
          return (
            <li key={d.transcriptId} className="example-item" data-testid="example" data-id={d.transcriptId}>
              <div className={styles.exampleHead}>
                <span className="mono">{d.scenarioId}</span>
                <span className="muted"> · judge {d.judgeScore}</span>
                {disagree && (
                  <span className="badge badge-warning" data-testid="example-disagree">
                    annotators disagree
                  </span>
                )}
                {d.redFlags > 0 && (
                  <span className="badge badge-error" data-testid="example-red-flag">
                    red-flag call ×{d.redFlags} (the judge scores it 1)
                  </span>
                )}
              </div>
              <ul className={styles.exampleAnnotators}>
                {d.humanReasons.map((h, i) => (
                  <AnnotatorVerdict key={i} verdict={h} testId="example-annotator">
                    <button
                      type="button"
                      className="btn btn-sm"
                      data-testid="example-use"
                      onClick={() => set(d.transcriptId, { score: h.score, rationale: h.reason })}
                    >
                      Use {h.pseudonym}’s verdict
                    </button>
                  </AnnotatorVerdict>
                ))}
              </ul>
              <div className={styles.exampleFields}>
                <label className="form-field">
                  <span>Score (alignment 1–5)</span>
                  <select
                    value={draft.score ?? ''}
                    data-testid="example-score"
                    onChange={(e) => set(d.transcriptId, { score: e.target.value ? Number(e.target.value) : null })}
                  >
                    <option value="">Choose…</option>
                    {[1, 2, 3, 4, 5].map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>
                </label>
                <label className={`form-field ${styles.exampleRationale}`}>
                  <span>Rationale the judge learns from</span>
                  <textarea
                    rows={3}
                    maxLength={4000}
                    value={draft.rationale}
                    data-testid="example-rationale"
                    onChange={(e) => set(d.transcriptId, { rationale: e.target.value })}
                  />
                </label>
              </div>
            </li>
          );
        })}
      </ol>
      <label className="form-field">
        <span>Why this version (recorded with who and when)</span>
        <input
          required
          maxLength={2000}
          value={reason}
          data-testid="fewshot-reason"
          placeholder={`e.g. ${judge.name} v${judge.version} is harsh on partial answers`}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      {incomplete.length > 0 && (
        <p className="muted" data-testid="example-incomplete">
          {incomplete.length} example{incomplete.length === 1 ? '' : 's'} still need{incomplete.length === 1 ? 's' : ''}{' '}
          a score and a rationale.
        </p>
      )}
      <div className={styles.exampleActions}>
        <button
          type="submit"
          className="btn btn-sm btn-primary"
          disabled={busy || !reason.trim() || incomplete.length > 0}
          data-testid="fewshot-create"
        >
          {busy ? 'Making…' : `Make ${judge.name} with ${chosen.length} example${chosen.length === 1 ? '' : 's'}`}
        </button>
        <button type="button" className="btn btn-sm" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
