import { PROMOTION_REASON_MAX } from '../../../schema/judge.ts';

/**
 * The reason a promotion against the held-out comparison's advice must give (the judges page and
 * the calibration page both ask for it; the server records it with the promotion).
 */
export function PromoteReasonField({ value, onChange }: { value: string; onChange(value: string): void }) {
  return (
    <label className="form-field">
      <span>Promote anyway: why (recorded)</span>
      <input
        maxLength={PROMOTION_REASON_MAX}
        value={value}
        data-testid="promote-reason"
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}
