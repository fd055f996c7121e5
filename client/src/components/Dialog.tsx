import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  /** Esc, the close button, or a click on the backdrop. */
  onClose(): void;
  children: ReactNode;
  testId?: string;
  /** Wider than a form (760 px); `full` fills the window (side-by-side comparisons). */
  wide?: boolean;
  full?: boolean;
}

/**
 * A modal dialog on the native <dialog>: the page behind is inert (focus stays inside), Esc
 * closes, the element marked `data-autofocus` (else the first field) gets focus, and focus goes
 * back to where it was when the dialog closes. Mount it to open it.
 */
export function Dialog({ title, onClose, children, testId, wide, full }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useLayoutEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>('input, select, textarea, button:not(.dialog-close)');
    first?.focus();
    if (first instanceof HTMLInputElement) first.select();
    return () => {
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={full ? 'dialog dialog-full' : wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onCloseRef.current();
      }}
      onMouseDown={(e) => {
        if (e.target === ref.current) onCloseRef.current();
      }}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="dialog-close" aria-label="Close" onClick={() => onCloseRef.current()}>
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
