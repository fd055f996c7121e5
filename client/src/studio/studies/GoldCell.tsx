import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { studyKeys } from '../../api/queryKeys.ts';
import { setGold } from './studies.api.ts';
import styles from './studies.module.css';

const VALUES = [1, 2, 3, 4, 5];

/** A scenario's attention-check range: shown to everyone, set or cleared by admins. */
export function GoldCell({
  studyId,
  scenarioId,
  gold,
  editable,
}: {
  studyId: string;
  scenarioId: string;
  gold: { min: number; max: number } | null;
  editable: boolean;
}) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [min, setMin] = useState(gold?.min ?? 4);
  const [max, setMax] = useState(gold?.max ?? 5);
  const [problem, setProblem] = useState<string | null>(null);

  const save = async (range: { min: number; max: number } | null) => {
    setProblem(null);
    try {
      await setGold(studyId, scenarioId, range);
      setEditing(false);
      await queryClient.invalidateQueries({ queryKey: studyKeys.resultsOf(studyId) });
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : String(e));
    }
  };

  if (!editing) {
    return (
      <span className={styles.goldCell}>
        {gold ? (
          <span className={`badge ${styles.badgeGold}`} title="Attention check: a careful rater answers in this range">
            {gold.min === gold.max ? gold.min : `${gold.min}–${gold.max}`}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
        {editable && (
          <button type="button" className="link-button" data-testid="gold-edit" onClick={() => setEditing(true)}>
            {gold ? 'change' : 'mark'}
          </button>
        )}
      </span>
    );
  }
  return (
    <span className={styles.goldEdit} data-testid="gold-editor">
      <select aria-label="Lowest expected rating" value={min} onChange={(e) => setMin(Number(e.target.value))}>
        {VALUES.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
      –
      <select aria-label="Highest expected rating" value={max} onChange={(e) => setMax(Number(e.target.value))}>
        {VALUES.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
      <button
        type="button"
        className="btn btn-sm"
        disabled={min > max}
        data-testid="gold-save"
        onClick={() => void save({ min, max })}
      >
        Save
      </button>
      {gold && (
        <button type="button" className="btn btn-sm btn-danger-quiet" onClick={() => void save(null)}>
          Unmark
        </button>
      )}
      <button type="button" className="link-button" onClick={() => setEditing(false)}>
        cancel
      </button>
      {problem && <span className="hint-bad">{problem}</span>}
    </span>
  );
}
