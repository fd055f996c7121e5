/** A word to the rater above the task: what became of their last answer. */
export interface Notice {
  tone: 'info' | 'warning';
  text: string;
}
