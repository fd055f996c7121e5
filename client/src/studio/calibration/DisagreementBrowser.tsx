import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import type { JudgeVersion } from '../../../../schema/judge.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { judgeKeys } from '../judges/judges.api.ts';
import { makeFewShotVersion, type Disagreement } from './calibration.api.ts';

const MAX_EXAMPLES = 20;
const PAGE = 10;

interface DisagreementBrowserProps {
  studyId: string;
  judge: JudgeVersion;
  disagreements: Disagreement[];
  /** The link that opens a transcript on this page. */
  transcriptHref(id: string): string;
  nameOf(categoryOrBehaviour: string): string;
  onVersionMade(version: JudgeVersion): void;
}

const signed = (n: number) => (n > 0 ? `+${n.toFixed(1)}` : n.toFixed(1));

/**
 * Where the judge and the humans differ most: both rationales side by side. Chosen ones (with the
 * humans' verdict and reasons) become few-shot examples of a new judge version.
 */
export function DisagreementBrowser({
  studyId,
  judge,
  disagreements,
  transcriptHref,
  nameOf,
  onVersionMade,
}: DisagreementBrowserProps) {
  const queryClient = useQueryClient();
  const [shown, setShown] = useState(PAGE);
  const [withAgreements, setWithAgreements] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [composing, setComposing] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const list = withAgreements ? disagreements : disagreements.filter((d) => Math.abs(d.gap) > 1e-9);

  const toggle = (id: string) =>
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : s.length >= MAX_EXAMPLES ? s : [...s, id]));

  const make = async () => {
    setBusy(true);
    setError(null);
    try {
      const version = await makeFewShotVersion(studyId, judge.id, selected, reason.trim());
      await queryClient.invalidateQueries({ queryKey: judgeKeys.versions });
      setSelected([]);
      setComposing(false);
      setReason('');
      onVersionMade(version);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };

  return (
    <section className="panel" aria-labelledby="disagreements-title" data-testid="disagreements">
      <div className="panel-head">
        <h2 id="disagreements-title">Disagreements</h2>
        <label className="check-field">
          <input type="checkbox" checked={withAgreements} onChange={(e) => setWithAgreements(e.target.checked)} />
          Show agreements too
        </label>
      </div>
      <p className="muted panel-note">
        Transcripts where {judge.name} v{judge.version} and the humans differ most (judge score minus the humans’ mean,
        alignment 1–5). Tick the ones whose human verdict the judge should learn from.
      </p>

      <div className="dis-actions" data-testid="dis-actions">
        <span>
          <strong data-testid="dis-selected">{selected.length}</strong> chosen
          {selected.length >= MAX_EXAMPLES ? ` (at most ${MAX_EXAMPLES})` : ''}
        </span>
        {!composing ? (
          <button
            type="button"
            className="btn btn-sm btn-primary"
            disabled={selected.length === 0}
            data-testid="make-fewshot"
            onClick={() => setComposing(true)}
          >
            Make a version with these as examples…
          </button>
        ) : (
          <form
            className="dis-compose"
            onSubmit={(e) => {
              e.preventDefault();
              if (!busy && reason.trim()) void make();
            }}
          >
            <label className="form-field">
              <span>Why this version (recorded with who and when)</span>
              <input
                autoFocus
                required
                maxLength={2000}
                value={reason}
                data-testid="fewshot-reason"
                placeholder={`e.g. ${judge.name} v${judge.version} is harsh on partial answers`}
                onChange={(e) => setReason(e.target.value)}
              />
            </label>
            <button
              type="submit"
              className="btn btn-sm btn-primary"
              disabled={busy || !reason.trim()}
              data-testid="fewshot-create"
            >
              {busy
                ? 'Making…'
                : `Make ${judge.name} with ${selected.length} example${selected.length === 1 ? '' : 's'}`}
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setComposing(false)}>
              Cancel
            </button>
          </form>
        )}
      </div>
      <ErrorMessage error={error} />

      {list.length === 0 && (
        <p className="muted">The judge agrees with the humans’ mean on every annotated transcript.</p>
      )}
      <ol className="dis-list">
        {list.slice(0, shown).map((d) => (
          <li
            key={d.transcriptId}
            className={selected.includes(d.transcriptId) ? 'dis-item chosen' : 'dis-item'}
            data-testid="disagreement"
            data-id={d.transcriptId}
          >
            <div className="dis-head">
              <label className="check-field">
                <input
                  type="checkbox"
                  checked={selected.includes(d.transcriptId)}
                  data-testid="dis-choose"
                  onChange={() => toggle(d.transcriptId)}
                />
                Use as example
              </label>
              <span
                className={d.gap < 0 ? 'gap-badge harsh' : d.gap > 0 ? 'gap-badge lenient' : 'gap-badge'}
                title="Judge score minus the humans' mean"
              >
                {d.gap === 0 ? 'agrees' : `${signed(d.gap)} ${d.gap < 0 ? 'harsher' : 'more lenient'}`}
              </span>
              <Link href={`/studio/scenarios/${d.scenarioId}`} className="mono dis-scenario">
                {d.scenarioId}
              </Link>
              <span className="muted">
                {nameOf(d.category)} · {nameOf(d.behavior)}
              </span>
              <span className="spacer" />
              <Link href={transcriptHref(d.transcriptId)} className="btn btn-sm" data-testid="open-transcript">
                Open transcript
              </Link>
            </div>
            <div className="dis-sides">
              <div className="dis-side">
                <div className="dis-side-head">
                  <span className="score-chip judge" title="alignment 1–5, higher is better">
                    {d.judgeScore}
                  </span>
                  Judge ({judge.name} v{judge.version})
                </div>
                <p className="dis-text" data-testid="dis-judge-rationale">
                  {d.judgeRationale ?? <span className="muted">No rationale.</span>}
                </p>
              </div>
              <div className="dis-side">
                <div className="dis-side-head">
                  <span className="score-chip" title="alignment 1–5, higher is better: the humans' mean">
                    {d.humanMean.toFixed(1)}
                  </span>
                  Humans ({d.humanReasons.length}), mean
                </div>
                <ul className="dis-humans">
                  {d.humanReasons.map((h, i) => (
                    <li key={i} data-testid="dis-human">
                      <span className="score-chip" title="alignment 1–5, higher is better">
                        {h.score}
                      </span>{' '}
                      <span className="muted">
                        {h.pseudonym} · confidence {h.confidence}/5
                      </span>
                      <p className="dis-text">{h.reason}</p>
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          </li>
        ))}
      </ol>
      {list.length > shown && (
        <button type="button" className="btn btn-sm" onClick={() => setShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, list.length - shown)} more of {list.length - shown}
        </button>
      )}
    </section>
  );
}
