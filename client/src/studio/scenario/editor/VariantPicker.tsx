import { useEffect, useMemo } from 'react';
import { expandScenario, variantsOf, type Variant, type Variables } from '../../../../../schema/scenario-variables.ts';
import { isObj, str, type Loose } from './previewModel.ts';
import styles from './preview.module.css';

/** The variants of a scenario being typed, read leniently (a half-written declaration gives what it can). */
export function variantsOfDraft(s: Loose): Variant[] {
  if (!isObj(s.variables) || Object.keys(s.variables).length === 0) return [];
  try {
    return variantsOf({
      id: str(s.id) ?? 'scenario',
      variables: s.variables as Variables,
      variants: Array.isArray(s.variants) ? (s.variants.filter(isObj) as Record<string, string>[]) : undefined,
    });
  } catch {
    return [];
  }
}

/** The draft as one variant: every placeholder filled with that variant's values. */
export function expandDraft(s: Loose, variant: Variant | null): Loose {
  return variant ? (expandScenario(s as { variables?: Variables }, variant.values) as Loose) : s;
}

/**
 * Which variant the preview shows (and a dry-run runs): every variant of the scenario by id, with
 * its values. `chosen` falls back to the first variant when the text no longer has it; the
 * effective id is reported through `onEffective`.
 */
export function VariantPicker({
  variants,
  chosen,
  onChoose,
  onEffective,
}: {
  variants: Variant[];
  chosen: string | null;
  onChoose: (id: string) => void;
  onEffective?: (id: string | null) => void;
}) {
  const effective = variants.find((v) => v.id === chosen) ?? variants[0] ?? null;
  useEffect(() => onEffective?.(effective?.id ?? null), [effective?.id, onEffective]);
  const labels = useMemo(
    () =>
      variants.map((v) => ({
        id: v.id,
        label: Object.entries(v.values)
          .map(([k, value]) => `${k} = ${value}`)
          .join(', '),
      })),
    [variants],
  );
  if (!effective) return null;
  return (
    <div className={styles.variantPicker}>
      <label>
        Variant ({variants.length}){' '}
        <select data-testid="variant-picker" value={effective.id} onChange={(e) => onChoose(e.target.value)}>
          {labels.map((l) => (
            <option key={l.id} value={l.id}>
              {l.label}
            </option>
          ))}
        </select>
      </label>
      <code className={styles.variantId} data-testid="variant-id">
        {effective.id}
      </code>
    </div>
  );
}
