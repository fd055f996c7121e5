/** A required whole (or `step`) number input; an emptied field reads as NaN, which the form's own `required` catches. */
export function NumberInput({
  value,
  onChange,
  min,
  max,
  step = 1,
  testId,
}: {
  value: number;
  onChange(n: number): void;
  min: number;
  max: number;
  step?: number;
  testId?: string;
}) {
  return (
    <input
      type="number"
      min={min}
      max={max}
      step={step}
      required
      value={Number.isNaN(value) ? '' : value}
      data-testid={testId}
      onChange={(e) => onChange(e.target.valueAsNumber)}
    />
  );
}
