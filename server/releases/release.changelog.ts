// The changelog of a release against the previous one: scenarios added, changed (another text:
// another content hash) and retired (in the previous release, not in this one: retired, deleted
// or out of the scope).

export interface Changelog {
  previous: { name: string; version: number } | null;
  added: string[];
  changed: { id: string; from: string; to: string }[];
  retired: string[];
}

export function buildChangelog(
  previous: { name: string; version: number; scenarios: Record<string, string> } | null,
  current: Record<string, string>,
): Changelog {
  const before = previous?.scenarios ?? {};
  const ids = Object.keys(current).sort();
  return {
    previous: previous ? { name: previous.name, version: previous.version } : null,
    added: ids.filter((id) => !(id in before)),
    changed: ids
      .filter((id) => id in before && before[id] !== current[id])
      .map((id) => ({ id, from: before[id]!, to: current[id]! })),
    retired: Object.keys(before)
      .filter((id) => !(id in current))
      .sort(),
  };
}

export function changelogMarkdown(name: string, version: number, c: Changelog): string {
  const list = (ids: string[]) => (ids.length ? ids.map((id) => `- ${id}`) : ['- none']);
  return [
    `# Changelog: ${name} (version ${version})`,
    '',
    c.previous
      ? `Against ${c.previous.name} (version ${c.previous.version}).`
      : 'The first release: every scenario is new.',
    '',
    `## Added (${c.added.length})`,
    ...list(c.added),
    '',
    `## Changed (${c.changed.length})`,
    ...list(c.changed.map((x) => x.id)),
    '',
    `## Retired (${c.retired.length})`,
    ...list(c.retired),
    '',
  ].join('\n');
}
