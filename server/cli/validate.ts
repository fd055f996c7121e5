// npm run validate [-- <scenarios-dir>]: checks every scenario file and prints each problem as
// `path:line:column: message`; exits 1 when any error is found, so CI can gate on it.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { checkScenarioText } from '../scenarios/scenario.check.ts';
import { listScenarioFiles } from '../scenarios/scenario.paths.ts';
import { loadTaxonomy } from '../taxonomy/taxonomy.load.ts';

const root = resolve(process.argv[2] ?? process.env.CRUCIBLE_SCENARIOS ?? 'scenarios');
const shown = (p: string) => relative(process.cwd(), p) || p;

let taxonomy;
try {
  taxonomy = loadTaxonomy(root);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}

const files = listScenarioFiles(root);
const firstPathOfId = new Map<string, string>();
for (const f of files) if (!firstPathOfId.has(f.id)) firstPathOfId.set(f.id, f.absPath);

let errors = 0;
let warnings = 0;
for (const file of files) {
  const text = readFileSync(file.absPath, 'utf8');
  const { diagnostics } = checkScenarioText(text, {
    taxonomy,
    fileId: file.id,
    folder: file.folder || undefined,
    // The first file (in path order) owns an id; every later one is the duplicate.
    idTakenBy: (id) => {
      const owner = firstPathOfId.get(id);
      return owner !== undefined && owner !== file.absPath ? shown(owner) : undefined;
    },
  });
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else warnings++;
    console.log(
      `${shown(file.absPath)}:${d.line}:${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`,
    );
  }
}
const summary = `${files.length} scenario files checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
if (errors > 0) {
  console.error(summary);
  process.exit(1);
}
console.log(summary);
