import { useEffect, useRef } from 'react';

/**
 * Ctrl/Cmd+Enter anywhere on the scenario page runs a dry-run (capture phase: before Monaco,
 * which would insert a line). Fields that use the key themselves (the play-the-model reply)
 * sit inside an element marked `data-own-shortcuts`.
 */
export function useRunShortcut(onRun: () => void): void {
  const onRunRef = useRef(onRun);
  onRunRef.current = onRun;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.key !== 'Enter') return;
      if (e.target instanceof Element && e.target.closest('[data-own-shortcuts], dialog[open]')) return;
      e.preventDefault();
      e.stopPropagation();
      onRunRef.current();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
