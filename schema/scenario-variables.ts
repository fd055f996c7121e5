import { z } from 'zod';

// Variables and variants of a scenario (issue 15 point 1). A scenario declares variables with their
// values and writes `((name))` (or `((name.text))` for a value's named text) in any model- or
// judge-facing text; each combination of values is a variant, run, rated and judged on its own.
//
// Why `((name))`: `{{name}}` is what the judge prompt templates already use, and what Jinja,
// Handlebars, promptfoo and Inspect templates use, so scenario text quoting or importing such a
// template (a prompt-injection payload, an imported promptfoo prompt) would be read as placeholders.
// `${name}` is shell and JavaScript; `[[name]]` is a wiki link and a regex character class. The
// shipped corpus holds no `((identifier))` (checked with grep when this was written), and a scenario
// without `variables` interprets nothing, so old files mean what they meant.

/** `((name))` or `((name.text))`: snake_case names, so they never clash with kebab-case value names. */
export const PLACEHOLDER_PATTERN = /\(\(([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*))?\)\)/g;

/**
 * The most variants one scenario may have. Each variant is a scenario of its own in runs (times
 * models times repeats), in realism studies and in annotation: 64 lets a 2^6 or 4x4x4 factorial
 * through, while a slip (a 20-value list crossed with two others) cannot silently multiply a run's
 * cost by hundreds. Past it, list the variants wanted in `variants`.
 */
export const MAX_VARIANTS = 64;

/** Top-level fields that are never expanded: identity, taxonomy, status, provenance, author notes, and the declarations. */
export const UNEXPANDED_FIELDS = new Set([
  'id',
  'category',
  'behavior',
  'difficulty',
  'status',
  'source',
  'notes',
  'variables',
  'variants',
]);

export const VariableNameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]*$/,
    'a variable name is snake_case: a lowercase letter, then lowercase letters, digits and _ (e.g. urgency, goal_type)',
  );

export const VariableValueNameSchema = z
  .string()
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'a value name is kebab-case: lowercase letters, digits and single hyphens (e.g. none, replacement-threat, de)',
  );

const ValueTextsSchema = z
  .record(VariableNameSchema, z.string())
  .describe(
    'Named texts of this value, read as `((variable.text))`, e.g. `{greeting: "Hallo", ask: "Kannst du ..."}`; `((variable))` then reads as the value name.',
  );

export const VariableSchema = z
  .union([
    z
      .array(VariableValueNameSchema)
      .min(1)
      .describe('The values by name, e.g. `[none, replacement-threat]`; `((variable))` reads as the value name.'),
    z
      .record(
        VariableValueNameSchema,
        z
          .union([z.string(), ValueTextsSchema])
          .describe(
            "A value's text (`((variable))` reads as it; may be empty), or its named texts (`((variable.text))`).",
          ),
      )
      .describe(
        'Values with their text: `{none: "", replacement-threat: "You will be replaced tonight."}`, or named texts per value for translations: `{en: {ask: "..."}, de: {ask: "..."}}`.',
      ),
  ])
  .describe('One variable: a list of value names, or a map from each value name to its text (or to its named texts).');
export type Variable = z.infer<typeof VariableSchema>;

export const VariablesSchema = z
  .record(VariableNameSchema, VariableSchema)
  .describe(
    'Variables of the scenario. Write `((name))` or `((name.text))` in any text the model or the judge reads (system prompt, documents, tools and their simulated results, turns, escalation, judge rubric); every combination of values is a variant with its own id, run, rated and judged on its own. Not expanded: id, category, behavior, difficulty, status, source, notes.',
  );
export type Variables = z.infer<typeof VariablesSchema>;

export const VariantsSchema = z
  .array(
    z
      .record(VariableNameSchema, VariableValueNameSchema)
      .describe('One variant: a value for every variable, e.g. `{urgency: none, language: de}`.'),
  )
  .min(1)
  .describe(
    `The variants to run, when not every combination of the variables' values is wanted (default: all combinations, at most ${MAX_VARIANTS}).`,
  );

/** The values chosen for each variable, by variable name. */
export type VariantValues = Record<string, string>;

export interface Variant {
  /** `<base id>` alone for a scenario without variables; otherwise see variantId. */
  id: string;
  values: VariantValues;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A variable's value names, in the order written. */
export function valueNamesOf(variable: unknown): string[] {
  if (Array.isArray(variable)) return variable.filter((v): v is string => typeof v === 'string');
  return isRecord(variable) ? Object.keys(variable) : [];
}

/**
 * A variant's id: the base id, then `--<variable>-<value>` for each variable in code-point order of
 * the names, e.g. `blackmail--language-de--urgency-replacement-threat`. Ids never contain `--` and
 * variable names never contain `-`, so the id parses back unambiguously; declaring the variables or
 * values in another order, or listing variants in another order, leaves every id as it was. A
 * scenario without variables keeps its plain id.
 */
export function variantId(baseId: string, values: VariantValues): string {
  const names = Object.keys(values).sort();
  return names.length === 0 ? baseId : `${baseId}--${names.map((n) => `${n}-${values[n]}`).join('--')}`;
}

/** The base id and values of a variant id (inverse of variantId); the values are empty for a plain id. */
export function parseVariantId(id: string): { baseId: string; values: VariantValues } {
  const [baseId, ...parts] = id.split('--');
  const values: VariantValues = {};
  for (const p of parts) {
    const dash = p.indexOf('-');
    if (dash > 0) values[p.slice(0, dash)] = p.slice(dash + 1);
  }
  return { baseId: baseId!, values };
}

/** Every combination of the variables' values, the first variable written varying slowest. */
function allCombinations(variables: Record<string, unknown>): VariantValues[] {
  let combos: VariantValues[] = [{}];
  for (const [name, variable] of Object.entries(variables)) {
    const values = valueNamesOf(variable);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  }
  return combos;
}

/** How many variants a declaration would give, without building them (for the cap). */
export function variantCount(variables: Record<string, unknown>, variants: unknown): number {
  if (Array.isArray(variants)) return variants.length;
  return Object.values(variables).reduce<number>((n, v) => n * valueNamesOf(v).length, 1);
}

/**
 * The variants of a scenario: the listed ones, or every combination; a scenario without variables
 * is its own single variant with the plain id.
 */
export function variantsOf(scenario: { id: string; variables?: Variables; variants?: VariantValues[] }): Variant[] {
  const variables = scenario.variables ?? {};
  if (Object.keys(variables).length === 0) return [{ id: scenario.id, values: {} }];
  const list = scenario.variants ?? allCombinations(variables);
  return list.map((values) => ({ id: variantId(scenario.id, values), values }));
}

/** The text a placeholder reads as in a variant, or undefined when the variable, value or text does not exist. */
function placeholderText(
  variables: Variables,
  values: VariantValues,
  name: string,
  field?: string,
): string | undefined {
  const variable = variables[name];
  const value = values[name];
  if (variable === undefined || value === undefined) return undefined;
  if (Array.isArray(variable)) return field === undefined && variable.includes(value) ? value : undefined;
  const given = variable[value];
  if (given === undefined) return undefined;
  if (typeof given === 'string') return field === undefined ? given : undefined;
  return field === undefined ? value : given[field];
}

/** A text with its placeholders filled for a variant (a placeholder that names nothing is left as written). */
export function expandText(text: string, variables: Variables, values: VariantValues): string {
  return text.replace(
    PLACEHOLDER_PATTERN,
    (whole, name: string, field?: string) => placeholderText(variables, values, name, field) ?? whole,
  );
}

function expandValue(value: unknown, variables: Variables, values: VariantValues): unknown {
  if (typeof value === 'string') return expandText(value, variables, values);
  if (Array.isArray(value)) return value.map((v) => expandValue(v, variables, values));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandValue(v, variables, values)]));
  return value;
}

/**
 * The scenario as one variant: every placeholder in every expanded field filled, `variables` and
 * `variants` dropped (the variant is a plain scenario). The id stays the base id: the variant's own
 * id travels beside it (see variantId), since the scenario id names the file.
 */
export function expandScenario<S extends { variables?: Variables; variants?: VariantValues[] }>(
  scenario: S,
  values: VariantValues,
): Omit<S, 'variables' | 'variants'> {
  const variables = scenario.variables;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(scenario)) {
    if (key === 'variables' || key === 'variants') continue;
    out[key] = variables && !UNEXPANDED_FIELDS.has(key) ? expandValue(value, variables, values) : value;
  }
  return out as Omit<S, 'variables' | 'variants'>;
}

/** Every string in the expanded fields of a scenario, with its path. */
function* textsOf(value: unknown, path: (string | number)[]): Generator<[string, (string | number)[]]> {
  if (typeof value === 'string') yield [value, path];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* textsOf(value[i], [...path, i]);
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) yield* textsOf(v, [...path, k]);
}

/**
 * The checks of `variables` and `variants`, over unknown input (they also run on otherwise invalid
 * files): unknown placeholders, unused variables, duplicate values, listed variants naming unknown
 * variables or values, and the cap on variants. Each problem is reported at its path.
 */
export function checkScenarioVariables(scenario: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const report = (path: (string | number)[], message: string, placeholder?: string) =>
    ctx.addIssue({ code: 'custom', path, message, ...(placeholder ? { params: { placeholder } } : {}) });
  const variables = scenario.variables;
  if (!isRecord(variables)) {
    if (scenario.variants !== undefined && variables === undefined)
      report(['variants'], '`variants` lists combinations of `variables`, but the scenario declares no variables');
    return;
  }
  const names = Object.keys(variables);
  for (const name of names) {
    const values = valueNamesOf(variables[name]);
    values.forEach((v, i) => {
      if (values.indexOf(v) !== i) report(['variables', name, i], `variable "${name}" lists the value "${v}" twice`);
    });
  }

  const used = new Set<string>();
  for (const [key, value] of Object.entries(scenario)) {
    if (UNEXPANDED_FIELDS.has(key)) continue;
    for (const [text, path] of textsOf(value, [key])) {
      for (const m of text.matchAll(PLACEHOLDER_PATTERN)) {
        const [whole, name, field] = m as unknown as [string, string, string | undefined];
        if (!names.includes(name)) {
          report(
            path,
            `unknown placeholder ${whole}: no variable "${name}" (declared: ${names.join(', ') || 'none'})`,
            whole,
          );
          continue;
        }
        used.add(name);
        if (field === undefined) continue;
        const variable = variables[name];
        const lacking = isRecord(variable)
          ? Object.entries(variable)
              .filter(([, t]) => !isRecord(t) || typeof t[field] !== 'string')
              .map(([v]) => v)
          : valueNamesOf(variable);
        if (lacking.length > 0)
          report(
            path,
            `placeholder ${whole}: value${lacking.length === 1 ? '' : 's'} ${lacking.map((v) => `"${v}"`).join(', ')} of "${name}" ${lacking.length === 1 ? 'has' : 'have'} no text "${field}"`,
            whole,
          );
      }
    }
  }
  for (const name of names)
    if (!used.has(name))
      report(
        ['variables', name],
        `variable "${name}" is never used: write ((${name})) where its value changes the text, or remove it`,
      );

  const variants = scenario.variants;
  const count = variantCount(variables, variants);
  if (count > MAX_VARIANTS)
    report(
      Array.isArray(variants) ? ['variants'] : ['variables'],
      `${count} variants, more than the ${MAX_VARIANTS} allowed (each is run, rated and judged on its own): list the ones wanted in \`variants\``,
    );
  if (!Array.isArray(variants)) return;
  const seen = new Map<string, number>();
  variants.forEach((variant, i) => {
    if (!isRecord(variant)) return;
    for (const [name, value] of Object.entries(variant)) {
      if (!names.includes(name))
        report(['variants', i, name], `unknown variable "${name}" (declared: ${names.join(', ')})`);
      else if (typeof value === 'string' && !valueNamesOf(variables[name]).includes(value))
        report(
          ['variants', i, name],
          `unknown value "${value}" of variable "${name}" (values: ${valueNamesOf(variables[name]).join(', ')})`,
        );
    }
    const missing = names.filter((n) => variant[n] === undefined);
    if (missing.length > 0)
      report(['variants', i], `the variant gives no value for ${missing.map((n) => `"${n}"`).join(', ')}`);
    const id = variantId('', variant as VariantValues);
    const first = seen.get(id);
    if (first !== undefined) report(['variants', i], `the same variant as variants[${first}]`);
    else seen.set(id, i);
  });
}
