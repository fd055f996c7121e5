// Lenient readers over parsed-but-unvalidated YAML: the preview shows whatever is there while
// the author types, so nothing here may assume the scenario is valid.

export type Loose = Record<string, unknown>;

export const isObj = (v: unknown): v is Loose => v !== null && typeof v === 'object' && !Array.isArray(v);
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const obj = (v: unknown): Loose => (isObj(v) ? v : {});

/** A turn's `when`, in words. */
export function conditionInWords(when: unknown): { text: string; conditional: boolean; invalid?: boolean } {
  if (when === undefined || when === null || when === 'always') return { text: 'always sent', conditional: false };
  if (when === 'model_complied') return { text: 'only if the model has complied so far', conditional: true };
  if (when === 'model_refused') return { text: 'only if the model refused so far', conditional: true };
  if (isObj(when) && typeof when.condition === 'string') {
    return { text: `only if a referee model judges true: “${when.condition}”`, conditional: true };
  }
  return { text: `unrecognised condition: ${JSON.stringify(when)}`, conditional: true, invalid: true };
}

/** How a tool's results are produced, in words, with the detail to show. */
export function simulationInWords(sim: unknown): { mode: string; detail: { label: string; value: unknown }[] } {
  const s = obj(sim);
  if (s.simulator !== undefined)
    return { mode: 'Simulator model', detail: [{ label: 'Instructions', value: s.simulator }] };
  if (s.cases !== undefined) {
    const cases = list(s.cases).map((c, i) => {
      const cc = obj(c);
      return { label: `Case ${i + 1}: when ${JSON.stringify(cc.when ?? {})}`, value: cc.result };
    });
    const fallback =
      s.default !== undefined
        ? [{ label: 'Otherwise (default)', value: s.default }]
        : [{ label: 'Otherwise', value: 'an error result (no default)' }];
    return { mode: 'Cases matched on arguments', detail: [...cases, ...fallback] };
  }
  if (s.result !== undefined)
    return { mode: 'Fixed result', detail: [{ label: 'Every call returns', value: s.result }] };
  return { mode: 'No simulation mode set', detail: [] };
}

/** One row per declared parameter of a tool's JSON Schema. */
export function parameterRows(
  parameters: unknown,
): { name: string; type: string; required: boolean; description?: string }[] {
  const p = obj(parameters);
  const required = new Set(list(p.required).map(String));
  return Object.entries(obj(p.properties)).map(([name, schema]) => {
    const s = obj(schema);
    const type = Array.isArray(s.type) ? s.type.join(' | ') : (str(s.type) ?? (Array.isArray(s.enum) ? 'enum' : 'any'));
    const enumText = Array.isArray(s.enum) ? ` (${s.enum.map((e) => JSON.stringify(e)).join(', ')})` : '';
    return { name, type: type + enumText, required: required.has(name), description: str(s.description) };
  });
}

/** A JSON value as readable text: strings as they are, everything else as indented JSON. */
export function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v, null, 2) ?? String(v);
}
