import { useState } from 'react';
import type { EscalateResponse } from '../../../../schema/api/dryruns.ts';
import type { DraftTurn } from './turnInsertion.ts';
import styles from './dryrun.module.css';

const WHEN: Record<DraftTurn['when'], string> = {
  always: 'always sent',
  model_refused: 'only if the model refused so far',
  model_complied: 'only if the model has complied so far',
};

interface EscalationCardProps {
  state: { status: 'pending' } | { status: 'failed'; message: string } | { status: 'drafted'; draft: EscalateResponse };
  onAccept(turn: DraftTurn): Promise<string | null>;
  onDiscard(): void;
}

/** A drafted next pressure turn: accept it into the scenario, edit it first, or discard it. */
export function EscalationCard({ state, onAccept, onDiscard }: EscalationCardProps) {
  const [editing, setEditing] = useState<DraftTurn | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const accept = async (turn: DraftTurn) => {
    setProblem(await onAccept(turn));
  };

  if (state.status === 'pending') {
    return (
      <div className={styles.escalation} data-testid="escalation" aria-busy>
        <span className="spinner" /> Drafting the next pressure turn…
      </div>
    );
  }
  if (state.status === 'failed') {
    return (
      <div className={styles.escalation} data-testid="escalation">
        <div className="form-error" role="alert" data-testid="escalation-error">
          {state.message}
        </div>
        <div className={styles.escalationActions}>
          <button type="button" className="btn btn-sm" onClick={onDiscard}>
            Close
          </button>
        </div>
      </div>
    );
  }
  const { draft } = state;
  if (editing) {
    return (
      <form
        className={styles.escalation}
        data-testid="escalation"
        data-own-shortcuts
        onSubmit={(e) => {
          e.preventDefault();
          if (editing.content.trim() && editing.tactic.trim())
            void accept({ ...editing, content: editing.content.trim(), tactic: editing.tactic.trim() });
        }}
      >
        <div className={styles.escalationTitle}>Edit the drafted turn</div>
        <label className="form-field">
          <span>Content</span>
          <textarea
            data-testid="escalation-edit-content"
            rows={5}
            value={editing.content}
            onChange={(e) => setEditing({ ...editing, content: e.target.value })}
          />
        </label>
        <div className={styles.escalationEditRow}>
          <label className="form-field">
            <span>Tactic</span>
            <input
              data-testid="escalation-edit-tactic"
              value={editing.tactic}
              onChange={(e) => setEditing({ ...editing, tactic: e.target.value })}
            />
          </label>
          <label className="form-field">
            <span>When</span>
            <select
              data-testid="escalation-edit-when"
              value={editing.when}
              onChange={(e) => setEditing({ ...editing, when: e.target.value as DraftTurn['when'] })}
            >
              {Object.entries(WHEN).map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {problem && <div className="form-error">{problem}</div>}
        <div className={styles.escalationActions}>
          <button type="button" className="btn btn-sm" onClick={() => setEditing(null)}>
            Back
          </button>
          <button
            type="submit"
            className="btn btn-sm btn-primary"
            data-testid="escalation-insert"
            disabled={!editing.content.trim() || !editing.tactic.trim()}
          >
            Insert into the scenario
          </button>
        </div>
      </form>
    );
  }
  return (
    <div className={styles.escalation} data-testid="escalation">
      <div className={styles.escalationTitle}>
        Drafted next turn <span className="muted">by {draft.model}</span>
      </div>
      <div className={styles.txTurnHead}>
        <span className="tactic" data-testid="escalation-tactic">
          {draft.turn.tactic}
        </span>
        <span className="condition conditional" data-testid="escalation-when">
          {WHEN[draft.turn.when]}
        </span>
      </div>
      <div className="text-block" data-testid="escalation-content">
        {draft.turn.content}
      </div>
      <p className={styles.escalationRationale} data-testid="escalation-rationale">
        <span className="sub-label">Why: </span>
        {draft.rationale}
      </p>
      {problem && <div className="form-error">{problem}</div>}
      <div className={styles.escalationActions}>
        <button type="button" className="btn btn-sm" data-testid="escalation-discard" onClick={onDiscard}>
          Discard
        </button>
        <button
          type="button"
          className="btn btn-sm"
          data-testid="escalation-edit"
          onClick={() => setEditing({ ...draft.turn })}
        >
          Edit
        </button>
        <button
          type="button"
          className="btn btn-sm btn-primary"
          data-testid="escalation-accept"
          onClick={() => void accept(draft.turn)}
        >
          Accept: add as the last turn
        </button>
      </div>
    </div>
  );
}
