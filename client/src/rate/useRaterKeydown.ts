import { useEffect, useRef } from 'react';

/** What a screen's own keys see: the actions of this render, the key lower-cased, the event and its element. */
export type ScreenKeyHandler<A> = (a: A, key: string, e: KeyboardEvent, target: HTMLElement | null) => void;

/**
 * Elements in which keys type rather than act (Esc leaves them). Check boxes and radio buttons are
 * not among them: a clicked criterion keeps focus, and the screen's keys still work.
 */
const TEXT_FIELDS = 'input:not([type="checkbox"]):not([type="radio"]), textarea, select, [contenteditable="true"]';

export interface RaterKeydownRules<A> {
  /** Ctrl/Cmd+Enter: sends from anywhere, a text field included. */
  send(a: A, e: KeyboardEvent): void;
}

/**
 * The rules every rater screen's keyboard shares, around its own keys: nothing while another view
 * is on top (`paused`); Ctrl/Cmd+Enter sends; other modified keys and IME composition are left to
 * the browser; inside a text field keys type and Esc leaves the field. The listener is added once
 * and reads the latest actions, so a screen's re-render never re-binds it.
 */
export function useRaterKeydown<A extends { paused: boolean }>(
  actions: A,
  rules: RaterKeydownRules<A>,
  onKey: ScreenKeyHandler<A>,
): void {
  const latest = useRef({ actions, rules, onKey });
  latest.current = { actions, rules, onKey };

  useEffect(() => {
    const listener = (e: KeyboardEvent) => {
      const { actions: a, rules: r, onKey: screenKey } = latest.current;
      if (a.paused) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        r.send(a, e);
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (target?.closest(TEXT_FIELDS)) {
        if (e.key === 'Escape') target.blur();
        return;
      }
      screenKey(a, e.key.toLowerCase(), e, target);
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
