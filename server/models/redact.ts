/**
 * A function that blanks every secret value out of a text. Applied to everything a dry-run sends
 * to a browser or stores, in case a provider echoes a key back in an error body.
 */
export function makeRedactor(secrets: readonly string[]): (text: string) => string {
  // Short values would blank innocent text; real API keys are long.
  const values = [...new Set(secrets.filter((s) => s.length >= 8))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  return (text) => values.reduce((t, v) => t.split(v).join('[redacted]'), text);
}
