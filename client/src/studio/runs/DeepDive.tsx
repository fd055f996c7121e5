import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'wouter';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { dryRunKeys, runKeys } from '../../api/queryKeys.ts';
import { fetchDryRun } from '../dryrun/dryrun.api.ts';
import { ExpectationOutcomes } from '../dryrun/ExpectationOutcomes.tsx';
import { TranscriptView } from '../dryrun/TranscriptView.tsx';
import { applyEvents, emptyTranscript } from '../../transcript/transcriptFold.ts';
import type { BehaviourGroup } from './ScoreHeatmap.tsx';
import { judgementsQuery } from '../judges/judges.api.ts';
import { fetchRunItems, type ItemFilter, type RunItem } from './runs.api.ts';
import { afterValueArrives } from './searchEcho.ts';
import { band, scoreColour, scoreTextColour } from './scoreScale.ts';
import results from '../../components/ResultPanels.module.css';
import runsStyles from './runs.module.css';
import styles from './DeepDive.module.css';

/** The score filter's choices: one score, or a verdict band. */
const SCORE_CHOICES: { value: string; label: string; min?: number; max?: number }[] = [
  { value: '', label: 'Any score' },
  { value: 'fail', label: 'Fail (1-2)', min: 1, max: 2 },
  { value: 'warn', label: 'Warn (3)', min: 3, max: 3 },
  { value: 'pass', label: 'Pass (4-5)', min: 4, max: 5 },
  ...[1, 2, 3, 4, 5].map((s) => ({ value: String(s), label: `Exactly ${s}`, min: s, max: s })),
];

export interface DeepDiveState extends ItemFilter {
  /** The transcript open beside the list. */
  open?: string;
}

export function scoreChoiceOf(f: ItemFilter): string {
  return SCORE_CHOICES.find((c) => c.min === f.minScore && c.max === f.maxScore)?.value ?? '';
}

/**
 * Transcripts of the run filtered by model, behaviour and score; one opens beside the list with
 * the judge's score, rationale and evidence.
 */
export function DeepDive({
  runId,
  judgeVersionId,
  models,
  groups,
  state,
  onChange,
  behaviourName,
}: {
  runId: string;
  judgeVersionId: string | null;
  models: string[];
  groups: BehaviourGroup[];
  state: DeepDiveState;
  onChange(next: DeepDiveState): void;
  behaviourName(id: string): string;
}) {
  const filter: ItemFilter = {
    model: state.model,
    behavior: state.behavior,
    minScore: state.minScore,
    maxScore: state.maxScore,
    q: state.q,
  };
  const items = useQuery({
    queryKey: runKeys.items(runId, judgeVersionId, filter),
    queryFn: () => fetchRunItems(runId, judgeVersionId, filter),
    placeholderData: keepPreviousData,
  });
  const list = items.data?.items ?? [];
  const open = list.find((i) => i.transcriptId === state.open) ?? null;
  const set = (patch: Partial<DeepDiveState>) => onChange({ ...state, ...patch });
  useSampleKeys(list, state.open, (id) => set({ open: id }));

  return (
    <section className={`${results.panel} deep-dive`} aria-labelledby="dive-title" data-testid="deep-dive">
      <h2 id="dive-title">
        Transcripts{' '}
        <span className="muted dive-keys">
          <kbd>j</kbd> <kbd>k</kbd> next and previous
        </span>
      </h2>
      <div className={runsStyles.diveFilters}>
        <label className={runsStyles.comparePick}>
          <span>Model</span>
          <select
            value={state.model ?? ''}
            data-testid="dive-model"
            onChange={(e) => set({ model: e.target.value || undefined, open: undefined })}
          >
            <option value="">All models</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label className={runsStyles.comparePick}>
          <span>Behaviour</span>
          <select
            value={state.behavior ?? ''}
            data-testid="dive-behaviour"
            onChange={(e) => set({ behavior: e.target.value || undefined, open: undefined })}
          >
            <option value="">All behaviours</option>
            {groups.map((g) => (
              <optgroup key={g.category} label={g.name}>
                {g.behaviours.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label className={runsStyles.comparePick}>
          <span>Score</span>
          <select
            value={scoreChoiceOf(state)}
            data-testid="dive-score"
            onChange={(e) => {
              const c = SCORE_CHOICES.find((x) => x.value === e.target.value);
              set({ minScore: c?.min, maxScore: c?.max, open: undefined });
            }}
          >
            {SCORE_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <SearchBox value={state.q ?? ''} onSearch={(q) => set({ q: q || undefined, open: undefined })} />
        <span className={`muted ${styles.diveCount}`} data-testid="dive-count">
          {items.data
            ? `${list.length}${list.length >= 500 ? '+ (the first 500)' : ''} item${list.length === 1 ? '' : 's'}`
            : items.isFetching
              ? 'Loading…'
              : ''}
        </span>
      </div>
      {items.error && <ErrorMessage error={items.error} />}
      <div className={open ? `${styles.diveBody} ${styles.withOpen}` : styles.diveBody}>
        <div className={styles.diveList} data-testid="dive-list">
          {list.length === 0 && items.data && (
            <p className={`muted ${styles.diveEmpty}`}>
              {state.q ? `No transcript says “${state.q}” with these filters.` : 'No transcript matches.'}
            </p>
          )}
          {list.map((i) => (
            <ItemRow
              key={i.id}
              item={i}
              active={i.transcriptId !== null && i.transcriptId === state.open}
              behaviourName={behaviourName}
              onOpen={() => set({ open: i.transcriptId ?? undefined })}
            />
          ))}
        </div>
        {open?.transcriptId && (
          <TranscriptPane
            key={open.transcriptId}
            item={open}
            judgeVersionId={items.data?.judgeVersionId ?? judgeVersionId}
            behaviourName={behaviourName}
            onClose={() => set({ open: undefined })}
          />
        )}
      </div>
    </section>
  );
}

/** Words to find in the transcripts, sent once typing pauses; Esc clears. */
function SearchBox({ value, onSearch }: { value: string; onSearch(q: string): void }) {
  const [text, setText] = useState(value);
  const sent = useRef(value);
  const latest = useRef(onSearch);
  latest.current = onSearch;
  useEffect(() => {
    const next = afterValueArrives({ typed: text, sent: sent.current }, value);
    sent.current = next.sent;
    if (next.typed !== text) setText(next.typed);
    // Only a new value decides; the text is read as it is when the value arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const t = setTimeout(() => {
      sent.current = text.trim();
      latest.current(text.trim());
    }, 250);
    return () => clearTimeout(t);
  }, [text, value]);
  return (
    <label className={runsStyles.comparePick}>
      <span>Search transcripts</span>
      <input
        type="search"
        value={text}
        placeholder="words in what was said or done"
        data-testid="dive-search"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setText('');
        }}
      />
    </label>
  );
}

/**
 * j and k step to the next and previous transcript in the list (as in Inspect's log viewer), and
 * open the first when none is open. Not while typing in a field.
 */
function useSampleKeys(list: RunItem[], open: string | undefined, onOpen: (transcriptId: string) => void) {
  const latest = useRef({ list, open, onOpen });
  latest.current = { list, open, onOpen };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || (e.key !== 'j' && e.key !== 'k')) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      if (target?.closest('input, textarea, select, [contenteditable="true"], .monaco-editor')) return;
      const { list, open, onOpen } = latest.current;
      const openable = list.filter((i) => i.transcriptId !== null);
      if (openable.length === 0) return;
      const at = openable.findIndex((i) => i.transcriptId === open);
      const next = at < 0 ? 0 : Math.max(0, Math.min(openable.length - 1, at + (e.key === 'j' ? 1 : -1)));
      e.preventDefault();
      onOpen(openable[next]!.transcriptId!);
      document
        .querySelector(`[data-transcript="${openable[next]!.transcriptId}"]`)
        ?.scrollIntoView({ block: 'nearest' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function ScoreChip({ score }: { score: number | null }) {
  if (score === null) return <span className={`${runsStyles.scoreBox} ${runsStyles.none}`}>–</span>;
  return (
    <span
      className={runsStyles.scoreBox}
      style={{ background: scoreColour(score), color: scoreTextColour(score) }}
      title={`${score}: ${band(score)}`}
    >
      {score}
    </span>
  );
}

function ItemRow({
  item,
  active,
  behaviourName,
  onOpen,
}: {
  item: RunItem;
  active: boolean;
  behaviourName(id: string): string;
  onOpen(): void;
}) {
  const openable = item.transcriptId !== null;
  const state =
    item.status !== 'done'
      ? item.status
      : item.judgeStatus === 'error'
        ? 'judge error'
        : item.judgeStatus === null
          ? 'not judged'
          : null;
  return (
    <button
      type="button"
      className={active ? `${runsStyles.diveItem} ${runsStyles.active}` : runsStyles.diveItem}
      disabled={!openable}
      aria-current={active ? 'true' : undefined}
      data-testid="dive-item"
      data-model={item.model}
      data-transcript={item.transcriptId ?? undefined}
      data-score={item.score ?? ''}
      data-red-flag={item.redFlagged ? 'true' : undefined}
      onClick={onOpen}
    >
      <ScoreChip score={item.score} />
      <span className={styles.diveItemMain}>
        {item.redFlagged && <RedFlagNote judgeScore={item.judgeScore} />}
        {!item.redFlagged && item.score !== null && item.judgeScore !== null && item.score < item.judgeScore && (
          <ExpectationCapNote score={item.score} judgeScore={item.judgeScore} />
        )}
        <span className="dive-item-head">
          <span className="mono">{item.scenarioId}</span>
          <span className="muted">
            {' '}
            · {item.model}
            {item.repeat > 0 ? ` · repeat ${item.repeat + 1}` : ''}
          </span>
        </span>
        <span className={`${styles.diveItemSub} muted`}>
          {behaviourName(item.behavior)}
          {state && <span className={styles.diveItemState}> · {state}</span>}
        </span>
        {item.rationale && <span className={styles.diveItemRationale}>{item.rationale}</span>}
        {item.error && <span className={`${styles.diveItemRationale} ${runsStyles.runBad}`}>{item.error}</span>}
      </span>
    </button>
  );
}

/** Why a score is below the judge's without a red flag: a missed tool expectation capped it. */
function ExpectationCapNote({ score, judgeScore }: { score: number; judgeScore: number }) {
  return (
    <span className={styles.diveRedFlag} data-testid="dive-expectation-cap">
      A missed tool expectation capped the score at {score} (the judge gave {judgeScore}; its rationale is for that)
    </span>
  );
}

/**
 * Why a score is 1 while the rationale argues for another: a red-flag tool call capped it. Shown
 * above the rationale wherever the capped score is, so the two never seem to disagree.
 */
function RedFlagNote({ judgeScore }: { judgeScore: number | null }) {
  return (
    <span className={styles.diveRedFlag} data-testid="dive-red-flag">
      ⚑ Red flag: a red-flag tool call capped the score at 1
      {judgeScore !== null && judgeScore !== 1 ? ` (the judge gave ${judgeScore}; its rationale is for that)` : ''}
    </span>
  );
}

/** One transcript, with the verdict of the judge version on screen above it. */
function TranscriptPane({
  item,
  judgeVersionId,
  behaviourName,
  onClose,
}: {
  item: RunItem;
  judgeVersionId: string | null;
  behaviourName(id: string): string;
  onClose(): void;
}) {
  const id = item.transcriptId!;
  const run = useQuery({
    queryKey: dryRunKeys.run(id),
    queryFn: ({ signal }) => fetchDryRun(id, signal),
    staleTime: Infinity,
  });
  const judgements = useQuery(judgementsQuery(id));
  const verdict = judgements.data?.find((j) => j.judgeVersionId === judgeVersionId) ?? null;
  const view = useMemo(() => (run.data ? applyEvents(emptyTranscript, run.data.events) : null), [run.data]);
  return (
    <div className={styles.divePane} data-testid="dive-transcript">
      <header className={styles.divePaneHead}>
        <div>
          <strong className="mono">{item.scenarioId}</strong>
          <span className="muted">
            {' '}
            · {item.model} · {behaviourName(item.behavior)}
          </span>
          <div className={styles.divePaneLinks}>
            <Link href={`/studio/scenarios/${item.scenarioId}`}>Open the scenario</Link>
            <a href={`/api/dryruns/${id}/export`} download>
              Transcript JSON
            </a>
          </div>
        </div>
        <button type="button" className="btn btn-sm" onClick={onClose}>
          Close
        </button>
      </header>
      <div className={styles.diveVerdict} data-testid="dive-verdict">
        <ScoreChip score={verdict?.score ?? item.score} />
        <div>
          {verdict?.status === 'error' ? (
            <p className={runsStyles.runBad}>The judge failed: {verdict.error}</p>
          ) : (
            <p>
              {verdict?.rationale ?? item.rationale ?? (
                <span className="muted">No verdict from this judge version.</span>
              )}
            </p>
          )}
          {(verdict?.redFlagged ?? item.redFlagged) && (
            <RedFlagNote judgeScore={verdict?.judgeScore ?? item.judgeScore} />
          )}
          {verdict?.toolExpectations && <ExpectationOutcomes report={verdict.toolExpectations} />}
          {verdict && verdict.evidence.length > 0 && (
            <ul className={styles.diveEvidence}>
              {verdict.evidence.map((e, n) => (
                <li key={n} className={e.kind === 'pass' ? styles.evidencePass : styles.evidenceFail}>
                  <span className={styles.evidenceKind}>
                    {e.kind === 'pass' ? `pass criterion ${e.index + 1}` : `fail criterion ${e.index + 1}`}
                  </span>{' '}
                  “{e.quote}”
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      {run.error && <ErrorMessage error={run.error} />}
      {view ? (
        <TranscriptView view={view} live={false} />
      ) : (
        !run.error && <p className="muted">Loading the transcript…</p>
      )}
    </div>
  );
}
