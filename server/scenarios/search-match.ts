// The index's search text, and where in it a search matched.
//
// The text is one string per scenario (the list filters it with LIKE in SQL, one scan). Each
// part starts with a marker of control characters that says which field it came from, so the
// list can tell the author where their words matched ("turn 3: ...") without reading the file.
// Search words are split on whitespace and never hold control characters, so a marker never
// matches a search; a field's own control characters are dropped for the same reason.

export type SearchField = 'id' | 'title' | 'summary' | 'behaviour' | 'tag' | 'turn' | 'tactic';

const FIELD_CODES: Record<SearchField, string> = {
  id: '\u0002',
  title: '\u0003',
  summary: '\u0004',
  behaviour: '\u0005',
  tag: '\u0006',
  turn: '\u000e',
  tactic: '\u000f',
};
const PART_START = '\u0001';
const FIELD_OF_CODE = new Map(Object.entries(FIELD_CODES).map(([field, code]) => [code, field as SearchField]));
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000e-\u001f]/g;

/** Where a search's first word was found: the field, the turn (1-based) for turn text, a short excerpt. */
export interface SearchMatch {
  field: SearchField;
  turn?: number;
  /** About 90 characters around the match, lower-cased as the index keeps it, with … where cut. */
  excerpt: string;
  /** The matched word's position in `excerpt`. */
  start: number;
  length: number;
}

/** The search text of a scenario's parts, lower-cased (LIKE then needs no case folding). */
export function searchTextOf(parts: { field: SearchField; text: string }[]): string {
  return parts
    .filter((p) => p.text !== '' || p.field === 'turn') // every turn counts, to number them
    .map((p) => `${PART_START}${FIELD_CODES[p.field]}${p.text.replace(CONTROL, ' ')}`)
    .join('\n')
    .toLowerCase();
}

/**
 * Where the first of `words` occurs in a search text: the earliest field in the text's order (id,
 * title, summary, ... turns), so a title match wins over a turn match. Null when no word occurs,
 * or for text indexed before the field markers existed (it then matched, but the place is unknown).
 */
export function findSearchMatch(searchText: string, words: string[], radius = 40): SearchMatch | null {
  if (words.length === 0 || !searchText.startsWith(PART_START)) return null;
  let turn = 0;
  for (const part of searchText.split(PART_START)) {
    const field = FIELD_OF_CODE.get(part[0] ?? '');
    if (!field) continue;
    if (field === 'turn') turn += 1;
    const text = part.slice(1).trim();
    for (const word of words) {
      const at = text.indexOf(word);
      if (at < 0) continue;
      const from = Math.max(0, at - radius);
      const to = Math.min(text.length, at + word.length + radius);
      const head = from > 0 ? '…' : '';
      const excerpt = `${head}${text.slice(from, to).replace(/\s+/g, ' ').trim()}${to < text.length ? '…' : ''}`;
      // Whitespace runs before the match shrink to one space: find the word again in the excerpt.
      const start = excerpt.indexOf(word.replace(/\s+/g, ' '), head.length);
      return {
        field,
        ...(field === 'turn' || field === 'tactic' ? { turn } : {}),
        excerpt,
        start: Math.max(0, start),
        length: word.length,
      };
    }
  }
  return null;
}
