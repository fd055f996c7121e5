// Some providers quote the API key they were sent in an error text (a 401 message). Key values
// are blanked in three places, each a backstop for the one before:
//   1. where provider texts come out of the AI SDK (redacting-model.ts wraps every model the
//      registry hands out, so no caller can forget it);
//   2. where anything is written to the database (redacting-plugin.ts, for every insert and update);
//   3. `Services.redact`, the hook for any other text from outside (importers, generation) and for
//      what a route sends straight to a browser.

/** Blanks every configured secret value out of a text. */
export type Redactor = (text: string) => string;

/** What a secret value becomes. */
export const REDACTED = '[redacted]';

/** The redactor of a configuration without secrets: changes nothing, so wrapping can be skipped. */
export const noRedaction: Redactor = (text) => text;

/** A redactor for these secret values (`noRedaction` when there are none). */
export function makeRedactor(secrets: readonly string[]): Redactor {
  // Short values would blank innocent text; real API keys are long.
  const values = [...new Set(secrets.filter((s) => s.length >= 8))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return noRedaction;
  return (text) => values.reduce((t, v) => (t.includes(v) ? t.split(v).join(REDACTED) : t), text);
}

/**
 * Blanks secret values in an error's texts, in place: message, stack, the response body, parsed
 * error data, headers, causes and the errors a retry collected. In place, so the error keeps its
 * class and the SDK's markers (`APICallError.isInstance`) and is still classified the same way.
 */
export function redactError<T>(error: T, redact: Redactor): T {
  if (typeof error === 'string') return redact(error) as T;
  redactIn(error, redact, new WeakSet(), 0);
  return error;
}

function redactIn(value: unknown, redact: Redactor, seen: WeakSet<object>, depth: number): void {
  if (typeof value !== 'object' || value === null || seen.has(value) || depth > 8) return;
  // Only errors and plain data: a cause may hold a socket or a request, which are not ours to walk.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!(value instanceof Error) && !Array.isArray(value) && proto !== Object.prototype && proto !== null) return;
  seen.add(value);
  const target = value as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key)!;
    const writable = d.writable === true || typeof d.set === 'function';
    const current = 'value' in d ? d.value : d.get ? target[key] : undefined;
    if (typeof current === 'string') {
      if (!writable) continue;
      const clean = redact(current);
      if (clean !== current) target[key] = clean;
    } else redactIn(current, redact, seen, depth + 1);
  }
}
