import { useEffect } from 'react';

/** Ctrl/Cmd+S anywhere on the scenario page saves (capture phase: before Monaco or the browser see it). */
export function useSaveShortcut(save: () => Promise<void>): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        e.stopPropagation();
        void save();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [save]);
}
