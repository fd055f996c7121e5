import { z } from 'zod';

// The defaults an object schema applies (`.default(...)` on a field), read from the schema itself,
// so a form starts from exactly what the server would apply to a field left out: one default,
// written once, in schema/. (A form that restated them drifted from the server's.)

type Shape<S extends z.ZodObject> = S['shape'];
type DefaultedKey<S extends z.ZodObject> = {
  [K in keyof Shape<S>]: Shape<S>[K] extends z.ZodDefault ? K : never;
}[keyof Shape<S>];

/** Each defaulted field of `S` with its default, as the schema parses a missing value. */
export type DefaultsOf<S extends z.ZodObject> = { [K in DefaultedKey<S>]: z.output<Shape<S>[K]> };

/** The default of every field of `schema` that has one, as parsing the field left out gives it (a fresh copy each call). */
export function defaultsOf<S extends z.ZodObject>(schema: S): DefaultsOf<S> {
  const defaults: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    if (!(field instanceof z.ZodDefault)) continue;
    defaults[key] = field.parse(undefined);
  }
  return defaults as DefaultsOf<S>;
}
