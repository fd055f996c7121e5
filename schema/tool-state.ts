import { z } from 'zod';
import { ArgumentMatchersSchema } from './tool-expectations.ts';

// State across tool calls: a scenario's simulated world (an inbox, a database, a file tree) as one
// JSON value that tool calls change through declared effects and results read through templates.
// The syntax of paths and templates lives here, beside the schema, so the checker, the simulator
// and the editor read them the same way. Templates are lookups only: nothing is ever evaluated.

const JsonValue = z.unknown().describe('Any JSON value.');

export const ScenarioStateSchema = z
  .strictObject({
    initial: z
      .record(z.string(), JsonValue)
      .describe(
        'The state before the first call, e.g. {inbox: [{id: m1, from: ..., subject: ...}], outbox: []}. Every place an effect changes must exist here (declare empty lists and objects).',
      ),
  })
  .describe(
    'State across tool calls: tools change it through `effects`, results read it through {{state.<path>}}, the simulator model is given it, and the transcript shows it after each call.',
  );
export type ScenarioState = z.infer<typeof ScenarioStateSchema>;

const StatePathSchema = z
  .union([
    z.string().min(1).describe('A dotted path: `outbox`, `accounts.acme.balance`, `inbox.0`, `files.{{args.name}}`.'),
    z
      .array(z.union([z.string().min(1), z.number().int().min(0)]))
      .min(1)
      .describe('The path as a list of keys and indexes, for keys holding dots: [files, "{{args.path}}"].'),
  ])
  .describe(
    'A place in the state: keys and list indexes separated by dots, or a list of them. A segment may be a template ({{args.id}}) filled from the call.',
  );
export type StatePath = z.infer<typeof StatePathSchema>;

export const ToolEffectSchema = z
  .strictObject({
    set: StatePathSchema.optional().describe('Set the value at this path (its parent must exist).'),
    append: StatePathSchema.optional().describe('Append the value to the list at this path.'),
    remove: StatePathSchema.optional().describe(
      'Remove the key or list element at this path; with `where`, every element of the list at this path that matches.',
    ),
    value: JsonValue.optional().describe(
      'set / append: the value, where a string that is a template alone ("{{args.body}}") gives the argument itself (any JSON), and templates inside longer text are filled in as text.',
    ),
    where: z
      .record(z.string(), JsonValue)
      .optional()
      .describe(
        'remove only: removes the list elements having these keys equal (templates filled), e.g. {id: "{{args.email_id}}"}.',
      ),
    when: ArgumentMatchersSchema.optional().describe(
      "Apply the effect only when the call's arguments match these matchers (default: every successful call).",
    ),
  })
  .superRefine((effect, ctx) => {
    const ops = (['set', 'append', 'remove'] as const).filter((k) => effect[k] !== undefined);
    if (ops.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message:
          ops.length === 0
            ? 'an effect needs exactly one of `set`, `append` or `remove` (a path in the state)'
            : `an effect has more than one operation (${ops.join(', ')}); write one effect each`,
      });
    if ((effect.set !== undefined || effect.append !== undefined) && effect.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: '`set` and `append` need a `value`' });
    if (effect.remove !== undefined && effect.value !== undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: '`remove` takes no `value`' });
    if (effect.where !== undefined && effect.remove === undefined)
      ctx.addIssue({ code: 'custom', path: ['where'], message: '`where` only applies to `remove`' });
  })
  .describe(
    "A change a successful call makes to the scenario's state: set, append or remove at a path, with values taken from the call's arguments.",
  );
export type ToolEffect = z.infer<typeof ToolEffectSchema>;

export const ToolEffectsSchema = z
  .array(ToolEffectSchema)
  .min(1)
  .describe(
    "What a successful call of this tool changes in the scenario's `state`, in order. Effects apply before the result is made, so a result's {{state...}} reads the state after the call.",
  );

/** A template reference: `args` or `state`, and the path below it. */
export interface TemplateReference {
  root: 'args' | 'state';
  path: string[];
  /** The whole placeholder as written, e.g. "{{ args.to }}". */
  text: string;
}

// {{args.to}}, {{ state.inbox.0.subject }}: a root and dotted keys, nothing else. Anything else in
// braces is left as written: results may hold text with braces of their own (templates, code).
const TEMPLATE = /\{\{\s*(args|state)((?:\.[A-Za-z0-9_-]+)*)\s*\}\}/g;
const WHOLE_TEMPLATE = /^\{\{\s*(args|state)((?:\.[A-Za-z0-9_-]+)*)\s*\}\}$/;

/** Every template reference in a string. */
export function templateReferences(text: string): TemplateReference[] {
  return [...text.matchAll(TEMPLATE)].map((m) => ({
    root: m[1] as 'args' | 'state',
    path: m[2] ? m[2].slice(1).split('.') : [],
    text: m[0],
  }));
}

/** The reference when the string is one template and nothing else (it then yields any JSON value). */
export function wholeTemplate(text: string): TemplateReference | null {
  const m = WHOLE_TEMPLATE.exec(text.trim());
  return m ? { root: m[1] as 'args' | 'state', path: m[2] ? m[2].slice(1).split('.') : [], text: m[0] } : null;
}

/** Every string inside a JSON value, with its path below the value (for checks and rendering). */
export function stringsIn(
  value: unknown,
  path: (string | number)[] = [],
): { text: string; path: (string | number)[] }[] {
  if (typeof value === 'string') return [{ text: value, path }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsIn(v, [...path, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringsIn(v, [...path, k]));
  return [];
}

/**
 * A state path's segments. A dotted string splits on dots outside {{...}} (a template's own dots
 * stay in its segment); a number-like segment is a list index.
 */
export function pathSegments(path: StatePath): (string | number)[] {
  if (Array.isArray(path)) return path;
  const out: string[] = [];
  let current = '';
  let depth = 0;
  for (let i = 0; i < path.length; i++) {
    if (path.startsWith('{{', i)) depth++;
    if (path.startsWith('}}', i) && depth > 0) depth--;
    const ch = path[i]!;
    if (ch === '.' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Whether a path segment is filled from the call (it holds a template). */
export const isTemplated = (segment: string | number): boolean =>
  typeof segment === 'string' && templateReferences(segment).length > 0;
