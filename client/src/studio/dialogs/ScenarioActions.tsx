import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { navigate } from '../../app/navigation.ts';
import { deleteScenario, duplicateScenario, renameScenario, setScenarioStatus } from '../../api/scenarios.api.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';
import { ID_HINT, ID_RE } from './scenarioId.ts';
import styles from './ScenarioActions.module.css';

interface ScenarioActionsProps {
  id: string;
  baseHash: string;
  status: string;
  dirty: boolean;
  withBusy<T>(work: () => Promise<T>): Promise<T>;
  /** The file changed (status): reload it. */
  onChanged(): Promise<void>;
  /** The scenario at this id is gone (renamed or deleted): the page is about to leave. */
  onGone(): void;
}

type Open = null | 'duplicate' | 'rename' | 'status' | 'delete';

/**
 * Duplicate, rename, retire / un-retire, delete. The ones that change this file need the
 * editor saved first, so they never act on a version the user is not looking at.
 */
export function ScenarioActions({ id, baseHash, status, dirty, withBusy, onChanged, onGone }: ScenarioActionsProps) {
  const [open, setOpen] = useState<Open>(null);
  const retired = status === 'retired';
  const needsSave = dirty ? 'Save or discard your changes first' : undefined;
  const close = () => setOpen(null);

  return (
    <div className={styles.actions} role="group" aria-label="Scenario actions">
      <button type="button" className="btn" data-testid="action-duplicate" onClick={() => setOpen('duplicate')}>
        Duplicate
      </button>
      <button
        type="button"
        className="btn"
        data-testid="action-rename"
        disabled={dirty}
        title={needsSave}
        onClick={() => setOpen('rename')}
      >
        Rename
      </button>
      <button
        type="button"
        className="btn"
        data-testid="action-status"
        disabled={dirty}
        title={needsSave}
        onClick={() => setOpen('status')}
      >
        {retired ? 'Un-retire' : 'Retire'}
      </button>
      <button
        type="button"
        className="btn btn-danger-quiet"
        data-testid="action-delete"
        disabled={dirty}
        title={needsSave}
        onClick={() => setOpen('delete')}
      >
        Delete
      </button>

      {open === 'duplicate' && (
        <IdDialog
          title="Duplicate scenario"
          testId="duplicate-dialog"
          intro={
            <>
              A copy of <code>{id}</code> as a new draft
              {dirty ? ' (from the saved version, without your unsaved changes)' : ''}.
            </>
          }
          initialId={`${id}-copy`}
          submitLabel="Duplicate"
          onClose={close}
          onSubmit={async (newId) => {
            const r = await duplicateScenario(id, newId);
            close();
            navigate(`/studio/scenarios/${r.id}`);
          }}
        />
      )}
      {open === 'rename' && (
        <IdDialog
          title="Rename scenario"
          testId="rename-dialog"
          intro={
            <>
              Changes the id and the file name of <code>{id}</code>.
            </>
          }
          initialId={id}
          submitLabel="Rename"
          onClose={close}
          onSubmit={(newId) =>
            withBusy(async () => {
              const r = await renameScenario(id, newId, baseHash);
              onGone();
              close();
              navigate(`/studio/scenarios/${r.id}`, { replace: true });
            })
          }
        />
      )}
      {open === 'status' && (
        <ConfirmDialog
          title={retired ? 'Un-retire scenario' : 'Retire scenario'}
          testId="status-dialog"
          confirmLabel={retired ? 'Un-retire (back to draft)' : 'Retire'}
          onClose={close}
          onConfirm={() =>
            withBusy(async () => {
              await setScenarioStatus(id, retired ? 'draft' : 'retired', baseHash);
              close();
              await onChanged();
            })
          }
        >
          {retired ? (
            <p>
              <code>{id}</code> goes back to <strong>draft</strong>: it can be reviewed and made ready again.
            </p>
          ) : (
            <p>
              <code>{id}</code> stays in the corpus for history but is never rated or run. You can un-retire it later.
            </p>
          )}
        </ConfirmDialog>
      )}
      {open === 'delete' && (
        <ConfirmDialog
          title="Delete scenario"
          testId="delete-dialog"
          confirmLabel="Delete the file"
          danger
          onClose={close}
          onConfirm={() =>
            withBusy(async () => {
              await deleteScenario(id, baseHash);
              onGone();
              close();
              navigate('/studio', { replace: true });
            })
          }
        >
          <p>
            Deletes <code>{id}</code> and its file from the scenarios folder. Retiring keeps it for history instead; git
            keeps the file's past versions.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

interface IdDialogProps {
  title: string;
  testId: string;
  intro: ReactNode;
  initialId: string;
  submitLabel: string;
  onClose(): void;
  onSubmit(newId: string): Promise<void>;
}

function IdDialog({ title, testId, intro, initialId, submitLabel, onClose, onSubmit }: IdDialogProps) {
  const [value, setValue] = useState(initialId);
  const submit = useMutation({ mutationFn: (newId: string) => onSubmit(newId) });
  const { isPending: busy, error } = submit;
  return (
    <Dialog title={title} onClose={onClose} testId={testId}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) submit.mutate(value.trim());
        }}
      >
        <p className="dialog-text">{intro}</p>
        <label className="form-field">
          <span>New id</span>
          <input
            data-autofocus
            data-testid="id-input"
            required
            value={value}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setValue(e.target.value)}
          />
          <small className={value && !ID_RE.test(value.trim()) ? 'hint-bad' : undefined}>{ID_HINT}</small>
        </label>
        <ErrorMessage error={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" data-testid="id-submit" disabled={busy}>
            {busy ? 'Working…' : submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

interface ConfirmDialogProps {
  title: string;
  testId: string;
  confirmLabel: string;
  danger?: boolean;
  children: ReactNode;
  onClose(): void;
  onConfirm(): Promise<void>;
}

function ConfirmDialog({ title, testId, confirmLabel, danger, children, onClose, onConfirm }: ConfirmDialogProps) {
  const confirm = useMutation({ mutationFn: () => onConfirm() });
  const { isPending: busy, error } = confirm;
  return (
    <Dialog title={title} onClose={onClose} testId={testId}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) confirm.mutate();
        }}
      >
        <div className="dialog-text">{children}</div>
        <ErrorMessage error={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" data-autofocus={danger ? true : undefined} onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={danger ? 'btn btn-danger' : 'btn btn-primary'}
            data-testid="confirm-submit"
            data-autofocus={danger ? undefined : true}
            disabled={busy}
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
