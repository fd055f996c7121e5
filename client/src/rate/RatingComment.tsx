import type { Ref } from 'react';
import { RATING_COMMENT_MAX } from '../../../schema/rater-limits.ts';
import { RaterTextBox } from './RaterTextBox.tsx';

/** The realism rating's optional comment. */
export function RatingComment({
  value,
  onChange,
  ref,
}: {
  value: string;
  onChange(value: string): void;
  ref: Ref<HTMLTextAreaElement>;
}) {
  return (
    <RaterTextBox
      label="Comment"
      optional
      value={value}
      max={RATING_COMMENT_MAX}
      rows={3}
      placeholder="What would make it more realistic?"
      testId="rate-comment"
      ref={ref}
      onChange={onChange}
    />
  );
}
