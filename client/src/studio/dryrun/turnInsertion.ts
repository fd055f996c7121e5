import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { EscalateResponse } from '../../../../schema/api/dryruns.ts';

// Where and how a drafted turn goes into the scenario text: a new item at the end of `turns:`,
// indented like the items already there, as valid YAML (a folded block scalar when the text
// folds cleanly, else a JSON-quoted string, which YAML reads as a double-quoted scalar).

export type DraftTurn = EscalateResponse['turn'];
export type Insertion = { ok: true; offset: number; text: string } | { ok: false; message: string };

const WRAP = 92;

export function turnInsertion(source: string, turn: DraftTurn): Insertion {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return { ok: false, message: 'the YAML does not parse: fix it before adding a turn' };
  const root = doc.contents;
  if (!isMap(root)) return { ok: false, message: 'the document is not a mapping of fields' };
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'turns');

  let at: { offset: number; lead: string; dash: string; key: string };
  if (!pair) {
    const offset = source.length;
    const lead = (source.endsWith('\n') || source === '' ? '' : '\n') + 'turns:\n';
    at = { offset, lead, dash: '  ', key: '    ' };
  } else if (isSeq(pair.value) && !pair.value.flow && pair.value.items.length > 0) {
    const items = pair.value.items as Node[];
    const first = items[0]!.range![0];
    const lineStart = source.lastIndexOf('\n', first - 1) + 1;
    const prefix = source.slice(lineStart, first);
    const m = /^( *)-( +)$/.exec(prefix);
    const seqStart = pair.value.range![0];
    const dashCol = m ? m[1]!.length : seqStart - (source.lastIndexOf('\n', seqStart - 1) + 1);
    const keyCol = m ? prefix.length : dashCol + 2;
    let end = items[items.length - 1]!.range![1];
    while (end > 0 && /\s/.test(source[end - 1]!)) end--;
    const newline = source.indexOf('\n', end);
    at =
      newline === -1
        ? { offset: source.length, lead: '\n', dash: ' '.repeat(dashCol), key: ' '.repeat(keyCol) }
        : { offset: newline + 1, lead: '', dash: ' '.repeat(dashCol), key: ' '.repeat(keyCol) };
  } else if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) {
    // `turns:` with nothing under it yet.
    const keyStart = (pair.key as Node).range![0];
    const newline = source.indexOf('\n', keyStart);
    const indent = keyStart - (source.lastIndexOf('\n', keyStart - 1) + 1);
    at =
      newline === -1
        ? { offset: source.length, lead: '\n', dash: ' '.repeat(indent + 2), key: ' '.repeat(indent + 4) }
        : { offset: newline + 1, lead: '', dash: ' '.repeat(indent + 2), key: ' '.repeat(indent + 4) };
  } else {
    return {
      ok: false,
      message: '`turns` is not a block list (one "- content: ..." item a line); add the turn by hand',
    };
  }

  for (const folded of [true, false]) {
    if (folded && !foldsCleanly(turn.content)) continue;
    const text = at.lead + itemText(turn, at.dash, at.key, folded);
    const result = source.slice(0, at.offset) + text + source.slice(at.offset);
    if (insertedTurnMatches(result, turn)) return { ok: true, offset: at.offset, text };
  }
  return { ok: false, message: 'the turn could not be written as valid YAML here; add it by hand' };
}

function itemText(turn: DraftTurn, dash: string, key: string, folded: boolean): string {
  const lines: string[] = [];
  if (folded) {
    lines.push(`${dash}- content: >`);
    for (const line of wrap(turn.content, Math.max(40, WRAP - key.length - 2))) lines.push(`${key}  ${line}`);
  } else {
    lines.push(`${dash}- content: ${JSON.stringify(turn.content)}`);
  }
  lines.push(`${key}tactic: ${JSON.stringify(turn.tactic)}`);
  lines.push(`${key}when: ${turn.when}`);
  return lines.join('\n') + '\n';
}

/** Text a folded scalar gives back exactly (plus its final newline): one paragraph, single spaces. */
function foldsCleanly(text: string): boolean {
  return text.length > 0 && !/[\n\r\t]/.test(text) && !/ {2}/.test(text) && text === text.trim();
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** The last turn of the edited text reads back as the draft (so nothing else moved). */
function insertedTurnMatches(text: string, turn: DraftTurn): boolean {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return false;
  let value: { turns?: { content?: unknown; tactic?: unknown; when?: unknown }[] } | null;
  try {
    value = doc.toJS({ maxAliasCount: 100 }) as typeof value; // throws on an alias bomb instead of expanding it
  } catch {
    return false;
  }
  const last = value?.turns?.at(-1);
  return (
    !!last &&
    typeof last.content === 'string' &&
    last.content.replace(/\n$/, '') === turn.content &&
    last.tactic === turn.tactic &&
    last.when === turn.when
  );
}
