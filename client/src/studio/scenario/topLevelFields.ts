/**
 * Reads a top-level plain scalar (`status: draft`) from YAML text without a YAML parser, so the
 * page header can show it without loading the parser (that lives in the lazy editor chunk).
 */
export function topLevelScalar(text: string, key: string): string | undefined {
  const m = new RegExp(`^${key}:[ \\t]*(.*)$`, 'm').exec(text);
  if (!m) return undefined;
  let v = m[1]!.replace(/\s+#.*$/, '').trim();
  if (/^(["']).*\1$/.test(v)) v = v.slice(1, -1);
  return v && !/^[>|]/.test(v) ? v : undefined;
}
