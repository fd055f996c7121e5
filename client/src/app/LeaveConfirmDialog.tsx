import { Dialog } from '../components/Dialog.tsx';
import { resolvePendingLeave, usePendingLeave } from './navigation.ts';

/** Asks before an in-app navigation throws away unsaved work. */
export function LeaveConfirmDialog() {
  const pending = usePendingLeave();
  if (!pending) return null;
  return (
    <Dialog title="Leave without saving?" onClose={() => resolvePendingLeave(false)} testId="leave-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          resolvePendingLeave(false);
        }}
      >
        <p className="dialog-text">{pending.message} If you leave, they are discarded.</p>
        <div className="dialog-actions">
          <button
            type="button"
            className="btn btn-danger"
            data-testid="leave-discard"
            onClick={() => resolvePendingLeave(true)}
          >
            Discard changes and leave
          </button>
          <button type="submit" className="btn btn-primary" data-autofocus data-testid="leave-stay">
            Stay on this page
          </button>
        </div>
      </form>
    </Dialog>
  );
}
