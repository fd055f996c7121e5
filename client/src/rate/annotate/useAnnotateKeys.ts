import { RATER_KEYS } from '../keyMap.ts';
import { useRaterKeydown, type RaterKeydownRules } from '../useRaterKeydown.ts';

/** A key waiting for its digit: P (a pass criterion), X (a fail criterion), H (how sure: confidence). */
export type KeyPrefix = 'pass' | 'fail' | 'confidence';

export interface AnnotateKeyActions {
  /** Another view is on top (the instructions, the judge's verdict): no key acts on the form. */
  paused: boolean;
  prefix: KeyPrefix | null;
  setPrefix(prefix: KeyPrefix | null): void;
  passCount: number;
  failCount: number;
  score(value: number): void;
  toggle(kind: 'pass' | 'fail', index: number): void;
  confidence(value: number): void;
  focusReason(): void;
  submit(): void;
}

/**
 * The verdict keyboard (RATER_KEYS): 1-5 score, P then a digit ticks a pass criterion, X then a
 * digit a fail criterion, H then 1-5 sets the confidence, C goes to the reason, Enter submits.
 * Nothing fires while typing in the reason; Esc leaves it, and Ctrl+Enter submits from it.
 */
export function useAnnotateKeys(actions: AnnotateKeyActions): void {
  useRaterKeydown(actions, ANNOTATE_RULES, (a, key, e, target) => {
    if (a.prefix) {
      const prefix = a.prefix;
      a.setPrefix(null);
      if (/^[1-9]$/.test(key)) {
        e.preventDefault();
        const n = Number(key);
        if (prefix === 'confidence') {
          if (n <= 5) a.confidence(n);
        } else if (n <= (prefix === 'pass' ? a.passCount : a.failCount)) {
          a.toggle(prefix, n - 1);
        }
        return;
      }
      if (key === 'escape') {
        e.preventDefault();
        return;
      }
      // Any other key acts as itself.
    }
    // Enter on a focused button (other than a score option) is that button's own click.
    const onButton = target?.closest('button, a, summary') && !target.closest('[data-score-option]');
    if (/^[1-5]$/.test(key)) {
      e.preventDefault();
      a.score(Number(key));
    } else if (key === RATER_KEYS.passCriterion && a.passCount > 0) {
      e.preventDefault();
      a.setPrefix('pass');
    } else if (key === RATER_KEYS.failCriterion && a.failCount > 0) {
      e.preventDefault();
      a.setPrefix('fail');
    } else if (key === RATER_KEYS.confidence) {
      e.preventDefault();
      a.setPrefix('confidence');
    } else if (key === RATER_KEYS.comment) {
      e.preventDefault();
      a.focusReason();
    } else if (key === 'enter' && !onButton) {
      e.preventDefault();
      if (!e.repeat) a.submit();
    }
  });
}

const ANNOTATE_RULES: RaterKeydownRules<AnnotateKeyActions> = {
  send: (a, e) => {
    if (!e.repeat) a.submit();
  },
};
