import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { CreateStudyRequestSchema } from '../../../../schema/api/studies.ts';
import { defaultsOf } from '../../../../schema/defaults.ts';
import { navigate } from '../../app/navigation.ts';
import { CategoryBehaviourFields } from '../../components/CategoryBehaviourFields.tsx';
import { NumberInput } from '../../components/NumberInput.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { DIFFICULTIES, STATUSES } from '../browser/browserFilters.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { studyKeys } from '../../api/queryKeys.ts';
import { countSelected, createStudy, type StudyFilter } from './studies.api.ts';
import styles from './studies.module.css';

const ANCHOR_KEYS = [1, 2, 3, 4, 5] as const;
/** The form starts from the server's own defaults (the schema's), never a copy of them. */
const DEFAULTS = defaultsOf(CreateStudyRequestSchema);

/** Opens a realism study: its settings, the acceptance rule, the scale, and which scenarios it covers. */
export function CreateStudyDialog({ onClose }: { onClose(): void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  // Only what is particular to this study: the rater app explains the task, the scale and the keys itself.
  const [instructions, setInstructions] = useState(DEFAULTS.instructions);
  const [ratersPerItem, setRatersPerItem] = useState(DEFAULTS.ratersPerItem);
  const [batchSize, setBatchSize] = useState(DEFAULTS.batchSize);
  const [minRatings, setMinRatings] = useState(DEFAULTS.minRatings);
  const [minMean, setMinMean] = useState(DEFAULTS.minMean);
  const [maxAttentionFailures, setMaxAttentionFailures] = useState(DEFAULTS.maxAttentionFailures);
  const [anchors, setAnchors] = useState(DEFAULTS.anchors);
  const [completionUrl, setCompletionUrl] = useState('');
  const [maxSkips, setMaxSkips] = useState(DEFAULTS.maxSkips);
  const [requirePlatformIds, setRequirePlatformIds] = useState(DEFAULTS.requirePlatformIds);
  const [filter, setFilter] = useState<StudyFilter>(DEFAULTS.filter);
  const [text, setText] = useState('');

  // The text filter follows typing after a pause, like the scenario browser's search.
  useEffect(() => {
    const t = setTimeout(() => setFilter((f) => ({ ...f, q: text.trim() || undefined })), 250);
    return () => clearTimeout(t);
  }, [text]);
  const cleanFilter = Object.fromEntries(Object.entries(filter).filter(([, v]) => v)) as StudyFilter;
  const selection = useQuery({
    queryKey: studyKeys.selection(cleanFilter),
    queryFn: ({ signal }) => countSelected(cleanFilter, signal),
    placeholderData: keepPreviousData,
  });

  const patch = (p: Partial<StudyFilter>) => setFilter((f) => ({ ...f, ...p }));

  const open = useMutation({
    mutationFn: () =>
      createStudy({
        name: name.trim(),
        instructions,
        ratersPerItem,
        batchSize,
        minRatings,
        minMean,
        maxAttentionFailures,
        anchors,
        filter: cleanFilter,
        maxSkips,
        requirePlatformIds,
        ...(completionUrl.trim() ? { completionUrl: completionUrl.trim() } : {}),
      }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: studyKeys.all });
      onClose();
      navigate(`/studio/studies/${created.id}`);
    },
  });
  const { isPending: busy, error } = open;

  return (
    <Dialog title="New realism study" onClose={onClose} testId="new-study-dialog" wide>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) open.mutate();
        }}
      >
        <label className="form-field">
          <span>Name</span>
          <input
            data-autofocus
            required
            maxLength={120}
            value={name}
            data-testid="study-name"
            placeholder="e.g. Realism pilot, safety scenarios"
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="form-field">
          <span>Instructions for raters (optional)</span>
          <textarea
            className="form-textarea"
            rows={3}
            maxLength={10_000}
            value={instructions}
            data-testid="study-instructions"
            placeholder="Anything particular to this study. Raters are told what a task is, the scale and the keys anyway."
            onChange={(e) => setInstructions(e.target.value)}
          />
        </label>

        <fieldset className="form-group">
          <legend>Scenarios</legend>
          <div className="form-grid">
            <CategoryBehaviourFields value={filter} onChange={(next) => patch(next)} testIdPrefix="study" />
            <label className="form-field">
              <span>Status</span>
              <select
                value={filter.status ?? ''}
                data-testid="study-filter-status"
                onChange={(e) => patch({ status: (e.target.value || undefined) as StudyFilter['status'] })}
              >
                <option value="">Any</option>
                {STATUSES.filter((s) => s !== 'retired').map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <label className="form-field">
              <span>Difficulty</span>
              <select
                value={filter.difficulty ?? ''}
                data-testid="study-difficulty"
                onChange={(e) => patch({ difficulty: (e.target.value || undefined) as StudyFilter['difficulty'] })}
              >
                <option value="">Any</option>
                {DIFFICULTIES.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label className="form-field">
            <span>Text</span>
            <input
              type="search"
              maxLength={200}
              value={text}
              placeholder="Words in the id, title, summary or turns"
              data-testid="study-text"
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          <p className={styles.selectionCount} data-testid="study-selection" aria-live="polite">
            {selection.error ? (
              'Cannot count the scenarios.'
            ) : selection.data ? (
              <>
                Selects <strong>{selection.data.selected}</strong> scenario{selection.data.selected === 1 ? '' : 's'}
                {selection.data.leftOut > 0 && (
                  <span className="muted">
                    {' '}
                    ({selection.data.leftOut} more match but have errors or are retired, and are left out)
                  </span>
                )}
              </>
            ) : (
              'Counting…'
            )}
          </p>
        </fieldset>

        <fieldset className="form-group">
          <legend>Ratings and the acceptance rule</legend>
          <div className="form-grid">
            <label className="form-field">
              <span>Raters per scenario</span>
              <NumberInput value={ratersPerItem} onChange={setRatersPerItem} min={1} max={50} testId="study-raters" />
            </label>
            <label className="form-field">
              <span>Batch size</span>
              <NumberInput value={batchSize} onChange={setBatchSize} min={1} max={1000} />
              <small>Ratings per crowd participant before the completion code.</small>
            </label>
            <label className="form-field">
              <span>Skips allowed</span>
              <NumberInput value={maxSkips} onChange={setMaxSkips} min={0} max={1000} testId="study-max-skips" />
              <small>Per crowd participant; skips do not count toward the batch.</small>
            </label>
            <label className="form-field">
              <span>Validated at: ratings at least</span>
              <NumberInput value={minRatings} onChange={setMinRatings} min={1} max={50} testId="study-min-ratings" />
            </label>
            <label className="form-field">
              <span>… and a mean of at least</span>
              <NumberInput value={minMean} onChange={setMinMean} min={1} max={5} step={0.1} />
            </label>
            <label className="form-field">
              <span>Attention-check failures allowed</span>
              <NumberInput value={maxAttentionFailures} onChange={setMaxAttentionFailures} min={0} max={100} />
              <small>More than this flags the rater.</small>
            </label>
          </div>
        </fieldset>

        <fieldset className="form-group">
          <legend>The 1-5 realism scale</legend>
          {ANCHOR_KEYS.map((k) => (
            <label className={`form-field ${styles.anchorField}`} key={k}>
              <span>{k}</span>
              <input
                required
                maxLength={300}
                value={anchors[k]}
                onChange={(e) => setAnchors((a) => ({ ...a, [k]: e.target.value }))}
              />
            </label>
          ))}
        </fieldset>

        <label className="form-field">
          <span>Completion URL for crowd raters (optional)</span>
          <input
            type="url"
            value={completionUrl}
            placeholder="https://app.prolific.com/submissions/complete?cc=…"
            onChange={(e) => setCompletionUrl(e.target.value)}
          />
          <small>
            Where Prolific participants go when they finish. Paste the completion URL from your Prolific study; without
            one they go to Prolific with a code Crucible makes.
          </small>
        </label>

        <label className="check-field">
          <input
            type="checkbox"
            checked={requirePlatformIds}
            data-testid="study-require-platform-ids"
            onChange={(e) => setRequirePlatformIds(e.target.checked)}
          />
          <span>Let crowd participants in only with Prolific’s STUDY_ID and SESSION_ID in the link</span>
        </label>

        <ErrorMessage error={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy || selection.data?.selected === 0}
            data-testid="create-study"
          >
            {busy ? 'Opening…' : 'Open study'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
