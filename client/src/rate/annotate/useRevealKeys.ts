import { RATER_KEYS } from '../keyMap.ts';
import { useRaterKeydown, type RaterKeydownRules } from '../useRaterKeydown.ts';
import type { JudgeHolds } from './annotateApi.ts';

/** The answers to "does the judge's rationale hold?", with their keys. */
export const HOLDS: { value: JudgeHolds; label: string; key: string }[] = [
  { value: 'yes', label: 'Yes', key: RATER_KEYS.holdsYes },
  { value: 'partly', label: 'Partly', key: RATER_KEYS.holdsPartly },
  { value: 'no', label: 'No', key: RATER_KEYS.holdsNo },
];

export interface RevealKeyActions {
  /** Hidden under the instructions: no key acts. */
  paused: boolean;
  send(): void;
  choose(holds: JudgeHolds): void;
  focusComment(): void;
}

/**
 * The reveal's keyboard: Y / M / N answer (yes, partly, no), C goes to the comment, Enter sends.
 * Nothing fires while typing in a field; Esc leaves the field, Ctrl+Enter sends from it.
 */
export function useRevealKeys(actions: RevealKeyActions): void {
  useRaterKeydown(actions, REVEAL_RULES, (a, key, e, target) => {
    const choice = HOLDS.find((h) => h.key === key);
    if (choice) {
      e.preventDefault();
      a.choose(choice.value);
    } else if (key === RATER_KEYS.comment) {
      e.preventDefault();
      a.focusComment();
    } else if (key === 'enter' && !target?.closest('button, a, summary')) {
      e.preventDefault();
      if (!e.repeat) a.send();
    }
  });
}

const REVEAL_RULES: RaterKeydownRules<RevealKeyActions> = {
  send: (a, e) => {
    if (!e.repeat) a.send();
  },
};
