import { useRaterKeydown, type RaterKeydownRules } from './useRaterKeydown.ts';
import { RATER_KEYS } from './keyMap.ts';

export interface TaskKeyActions {
  /** Another view is on top (the instructions): no key acts on the task. */
  paused: boolean;
  pickerOpen: boolean;
  turnCount: number;
  rate(value: number): void;
  submit(): void;
  skip(): void;
  /** ←: to the rater's previous rating (or, when looking at one, an earlier one). */
  previous(): void;
  /** Esc outside a field and the picker: leave what is on top (an earlier rating) for the task. */
  leave(): void;
  openPicker(): void;
  closePicker(): void;
  toggleTurnFlag(turn: number): void;
  /** A flag picker letter (see RATER_KEYS): true when it meant something. */
  pickerLetter(key: string): boolean;
  focusComment(): void;
}

/**
 * The rating keyboard: 1-5 rate, Enter submits, S skips, F opens the flag picker (where digits
 * flag a user turn, letters the other kinds, and Esc or Enter closes it), C goes to the comment.
 * Nothing fires while typing in a text field; Esc leaves the field, Ctrl+Enter submits from it.
 */
export function useTaskKeys(actions: TaskKeyActions): void {
  useRaterKeydown(actions, TASK_RULES, (a, key, e, target) => {
    // Enter on a focused button (other than a rating option) is that button's own click.
    const onButton = target?.closest('button, a, summary') && !target.closest('[data-rating-option]');

    if (a.pickerOpen) {
      if (key === 'escape' || key === RATER_KEYS.flag || (key === 'enter' && !onButton)) {
        e.preventDefault();
        a.closePicker();
      } else if (/^[1-9]$/.test(key) && Number(key) <= a.turnCount) {
        e.preventDefault();
        a.toggleTurnFlag(Number(key) - 1);
      } else if (a.pickerLetter(key)) {
        e.preventDefault();
      }
      return;
    }
    if (/^[1-5]$/.test(key)) {
      e.preventDefault();
      a.rate(Number(key));
    } else if (key === 'enter' && !onButton) {
      e.preventDefault();
      if (!e.repeat) a.submit();
    } else if (key === RATER_KEYS.skip && !e.repeat) {
      e.preventDefault();
      a.skip();
    } else if (key === RATER_KEYS.flag) {
      e.preventDefault();
      a.openPicker();
    } else if (key === RATER_KEYS.comment) {
      e.preventDefault();
      a.focusComment();
    } else if (key === 'arrowleft' && !e.repeat) {
      e.preventDefault();
      a.previous();
    } else if (key === 'escape') {
      a.leave();
    }
  });
}

const TASK_RULES: RaterKeydownRules<TaskKeyActions> = {
  send: (a) => a.submit(),
};
