import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import type { JudgeVersion } from '../../../../schema/judge.ts';
import { judgeKeys } from '../../api/queryKeys.ts';
import type { Disagreement } from './calibration.api.ts';
import { AnnotatorVerdict } from './AnnotatorVerdict.tsx';
import { ExampleEditor } from './ExampleEditor.tsx';
import marks from '../../components/judgeMarks.module.css';
import styles from './calibration.module.css';

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
  const list = withAgreements ? disagreements : disagreements.filter((d) => Math.abs(d.gap) > 1e-9);

  const toggle = (id: string) =>
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : s.length >= MAX_EXAMPLES ? s : [...s, id]));

  const made = async (version: JudgeVersion) => {
    await queryClient.invalidateQueries({ queryKey: judgeKeys.versions });
    setSelected([]);
    setComposing(false);
    onVersionMade(version);
  };

  return (
    <section className="panel" aria-labelledby="disagreements-title" data-testid="disagreements">
      <div className={`panel-head ${styles.disagreementsHead}`}>
        <h2 id="disagreements-title">Disagreements</h2>
        <label className="check-field">
          <input type="checkbox" checked={withAgreements} onChange={(e) => setWithAgreements(e.target.checked)} />
          Show agreements too
        </label>
      </div>
      <p className="muted panel-note">
        Transcripts where {judge.name} v{judge.version} and the humans differ most (judge score minus the humans’ mean,
        alignment 1–5). Tick the ones whose human verdict the judge should learn from: only transcripts of the learn
        part can be examples; the held-out part is what a candidate is scored on.
      </p>

      <div className={styles.disActions} data-testid="dis-actions">
        <span>
          <strong data-testid="dis-selected">{selected.length}</strong> chosen
          {selected.length >= MAX_EXAMPLES ? ` (at most ${MAX_EXAMPLES})` : ''}
        </span>
        {!composing && (
          <button
            type="button"
            className="btn btn-sm btn-primary"
            disabled={selected.length === 0}
            data-testid="make-fewshot"
            onClick={() => setComposing(true)}
          >
            Edit these as examples…
          </button>
        )}
      </div>
      {composing && (
        <ExampleEditor
          studyId={studyId}
          judge={judge}
          chosen={selected.map((id) => disagreements.find((d) => d.transcriptId === id)!).filter(Boolean)}
          onCancel={() => setComposing(false)}
          onMade={(v) => void made(v)}
        />
      )}

      {list.length === 0 && (
        <p className="muted">The judge agrees with the humans’ mean on every annotated transcript.</p>
      )}
      <ol className={styles.disList}>
        {list.slice(0, shown).map((d) => (
          <li
            key={d.transcriptId}
            className={selected.includes(d.transcriptId) ? `${styles.disItem} ${styles.chosen}` : styles.disItem}
            data-testid="disagreement"
            data-id={d.transcriptId}
          >
            <div className={styles.disHead}>
              {d.part === 'learn' ? (
                <label className="check-field">
                  <input
                    type="checkbox"
                    checked={selected.includes(d.transcriptId)}
                    data-testid="dis-choose"
                    disabled={composing}
                    onChange={() => toggle(d.transcriptId)}
                  />
                  Use as example
                </label>
              ) : (
                <span
                  className="badge"
                  data-testid="dis-held-out"
                  title="Candidates are scored on it: it cannot be an example"
                >
                  held out
                </span>
              )}
              {d.redFlags > 0 && (
                <span className="badge badge-error" data-testid="dis-red-flag">
                  red-flag call
                </span>
              )}
              <span
                className={
                  d.gap < 0
                    ? `${styles.gapBadge} ${styles.harsh}`
                    : d.gap > 0
                      ? `${styles.gapBadge} ${styles.lenient}`
                      : styles.gapBadge
                }
                title="Judge score minus the humans' mean"
              >
                {d.gap === 0 ? 'agrees' : `${signed(d.gap)} ${d.gap < 0 ? 'harsher' : 'more lenient'}`}
              </span>
              <Link href={`/studio/scenarios/${d.scenarioId}`} className={`mono ${styles.disScenario}`}>
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
            <div className={styles.disSides}>
              <div className={styles.disSide}>
                <div className={styles.disSideHead}>
                  <span className={`${marks.scoreChip} ${marks.judge}`} title="alignment 1–5, higher is better">
                    {d.judgeScore}
                  </span>
                  Judge ({judge.name} v{judge.version})
                </div>
                <p className={styles.disText} data-testid="dis-judge-rationale">
                  {d.judgeRationale ?? <span className="muted">No rationale.</span>}
                </p>
              </div>
              <div className={styles.disSide}>
                <div className={styles.disSideHead}>
                  <span className={marks.scoreChip} title="alignment 1–5, higher is better: the humans' mean">
                    {d.humanMean.toFixed(1)}
                  </span>
                  Humans ({d.humanReasons.length}), mean
                </div>
                <ul className={styles.disHumans}>
                  {d.humanReasons.map((h, i) => (
                    <AnnotatorVerdict key={i} verdict={h} testId="dis-human" />
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
