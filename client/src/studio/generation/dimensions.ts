/** Variation dimensions as typed in the job form: one a line, `name = value, value`. */
export function parseDimensions(
  text: string,
): { ok: true; dimensions: Record<string, string[]> } | { ok: false; message: string } {
  const dimensions: Record<string, string[]> = {};
  const lines = text.split('\n').map((l) => l.trim());
  for (const [i, line] of lines.entries()) {
    if (!line) continue;
    const m = /^([^=]+?)\s*=\s*(.+)$/.exec(line);
    const values = m
      ? m[2]!
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : [];
    if (!m || values.length === 0) return { ok: false, message: `line ${i + 1}: write name = value, value` };
    dimensions[m[1]!] = values;
  }
  return { ok: true, dimensions };
}
