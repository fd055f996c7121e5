import type { Scenario } from '../../schema/scenario.ts';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import { checkScenarioText } from '../scenarios/scenario.check.ts';
import { expandScenario, variantsOf, type Variant, type VariantValues } from '../../schema/scenario-variables.ts';

/** What a transcript, run item, verdict or rating records of the variant it is of. */
export interface VariantColumns {
  /** The variant's own id (the plain id for a scenario without variables). */
  scenario_id: string;
  variant_of: string | null;
  variant_values: string | null;
}

/** The columns of a row made from `variant` of the scenario `baseId`: null parent and values without variables. */
export function variantColumns(baseId: string, variant: Variant): VariantColumns {
  const plain = Object.keys(variant.values).length === 0;
  return {
    scenario_id: variant.id,
    variant_of: plain ? null : baseId,
    variant_values: plain ? null : JSON.stringify(variant.values),
  };
}

/** A variant as a conversation's start event names it: its id, its parent's id and its values. */
export interface RunVariant {
  id: string;
  of: string;
  values: VariantValues;
}

/** The variant a conversation runs, for its start event; undefined for a scenario without variables. */
export function runVariantOf(baseId: string, variant: Variant): RunVariant | undefined {
  return Object.keys(variant.values).length === 0 ? undefined : { id: variant.id, of: baseId, values: variant.values };
}

/** The variant a stored row (a run item) names, for its conversation's start event. */
export function storedRunVariant(row: VariantColumns): RunVariant | undefined {
  if (!row.variant_of) return undefined;
  return { id: row.scenario_id, of: row.variant_of, values: storedVariantValues(row.variant_values) ?? {} };
}

/** The values stored in a row's `variant_values` (null or unreadable: none, the scenario as written). */
export function storedVariantValues(json: string | null | undefined): VariantValues | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as VariantValues) : null;
  } catch {
    return null;
  }
}

export type ResolvedVariant = { ok: true; variant: Variant; scenario: Scenario } | { ok: false; message: string };

/**
 * One variant of a checked scenario, expanded: the one with this id, or these values; without
 * either, the first variant (for a scenario without variables, the scenario itself).
 */
export function resolveVariant(
  scenario: Scenario,
  wanted?: { id?: string; values?: VariantValues | null },
): ResolvedVariant {
  const variants = variantsOf(scenario);
  let variant: Variant | undefined = variants[0];
  if (wanted?.id !== undefined) {
    variant = variants.find((v) => v.id === wanted.id);
    if (!variant)
      return {
        ok: false,
        message: `scenario "${scenario.id}" has no variant "${wanted.id}" (its variants: ${variants.map((v) => v.id).join(', ')})`,
      };
  } else if (wanted?.values) {
    const values = wanted.values;
    const names = Object.keys(values);
    variant = variants.find(
      (v) => Object.keys(v.values).length === names.length && names.every((n) => v.values[n] === values[n]),
    );
    if (!variant)
      return {
        ok: false,
        message: `scenario "${scenario.id}" has no variant with ${names.map((n) => `${n}=${values[n]}`).join(', ') || 'no variables'} (its variables changed since)`,
      };
  }
  return { ok: true, variant: variant!, scenario: expandScenario(scenario, variant!.values) as Scenario };
}

/** The scenario as its first variant (itself, without variables): for views that show one of them. */
export function firstVariantOf(scenario: Scenario): Scenario {
  return expandScenario(scenario, variantsOf(scenario)[0]!.values) as Scenario;
}

/**
 * A stored scenario text (a transcript's, a run item's) checked and expanded to the variant it was
 * stored with: what its model and judge read. Null when the text no longer validates, or no longer
 * has that variant.
 */
export function storedVariantScenario(
  text: string,
  taxonomy: Taxonomy,
  values: VariantValues | string | null | undefined,
): Scenario | null {
  const { scenario } = checkScenarioText(text, { taxonomy });
  if (!scenario) return null;
  const chosen = resolveVariant(scenario, {
    values: typeof values === 'string' ? storedVariantValues(values) : values,
  });
  return chosen.ok ? chosen.scenario : null;
}

/**
 * The run items a scenario file gives: one per variant. Files without a top-level `variables:`
 * line are not parsed again (the listing already checked them): their single item has the plain id.
 */
export function variantRowsOfFile(text: string, baseId: string, taxonomy: Taxonomy): VariantColumns[] {
  const plain: VariantColumns = { scenario_id: baseId, variant_of: null, variant_values: null };
  if (!/^variables\s*:/m.test(text)) return [plain];
  const { scenario } = checkScenarioText(text, { taxonomy });
  return scenario ? variantsOf(scenario).map((v) => variantColumns(baseId, v)) : [plain];
}
