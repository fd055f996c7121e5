import { useEffect, useRef, type RefObject } from 'react';
import { setLeaveGuard } from '../../app/navigation.ts';
import { removeDraft, writeDraft } from './drafts.ts';
import { isDirty, type SessionState } from './scenarioSession.ts';

const DRAFT_DEBOUNCE_MS = 400;

/**
 * Unsaved text is never lost: it is autosaved as a draft in this browser, a reload or a closed
 * tab asks first (beforeunload), and so does leaving the page inside the app. Returns
 * `markLeaving`, for when the page leaves on purpose (the file was renamed or deleted).
 */
export function useUnsavedGuards(id: string, ready: boolean, session: SessionState, stateRef: RefObject<SessionState>) {
  const leaving = useRef(false);
  const dirty = isDirty(session);

  // The draft follows the text; it is left alone while a found draft waits for restore/discard.
  useEffect(() => {
    if (!ready || session.draftOffer || leaving.current) return;
    if (!dirty) {
      removeDraft(id);
      return;
    }
    const t = setTimeout(() => {
      if (!leaving.current) writeDraft(id, { text: session.text, baseHash: session.baseHash, savedAt: Date.now() });
    }, DRAFT_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [id, ready, dirty, session.text, session.baseHash, session.draftOffer]);

  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      const s = stateRef.current;
      if (!isDirty(s) || leaving.current) return;
      writeDraft(id, { text: s.text, baseHash: s.baseHash, savedAt: Date.now() });
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    const removeGuard = setLeaveGuard({
      reason: () => (isDirty(stateRef.current) && !leaving.current ? `“${id}” has unsaved changes.` : null),
      onLeave: () => {
        leaving.current = true;
        removeDraft(id);
      },
    });
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      removeGuard();
    };
  }, [id, stateRef]);

  return function markLeaving() {
    leaving.current = true;
    removeDraft(id);
  };
}
