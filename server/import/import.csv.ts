import { ImportError } from './import.plan.ts';

// RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes), as Inspect's csv datasets
// are written. Small enough that a dependency would not pay for itself.

/** The rows of a CSV text with a header line, each a record keyed by column name, with its line. */
export function readCsv(text: string, file: string): { line: number; record: Record<string, string> }[] {
  const rows = splitRows(text.replace(/^\uFEFF/, ''), file);
  const header = rows.shift();
  if (!header) throw new ImportError(file, 'header', '', 'the file is empty; a CSV dataset needs a header line');
  return rows
    .filter((r) => !(r.cells.length === 1 && r.cells[0] === ''))
    .map((r) => {
      if (r.cells.length !== header.cells.length) {
        throw new ImportError(
          `${file}:${r.line}:1`,
          `row at line ${r.line}`,
          '',
          `has ${r.cells.length} cells, the header has ${header.cells.length}`,
        );
      }
      return { line: r.line, record: Object.fromEntries(header.cells.map((h, i) => [h, r.cells[i]!])) };
    });
}

function splitRows(text: string, file: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') {
      quoted = true;
      quoteLine = line;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (quoted)
    throw new ImportError(`${file}:${quoteLine}:1`, `row at line ${rowLine}`, '', 'a quoted cell is never closed');
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return rows;
}
