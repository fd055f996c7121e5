import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import type { ImportRequest } from '../../schema/api/import.ts';
import { TaxonomySchema } from '../../schema/taxonomy.ts';
import { checkScenarioText } from '../../server/scenarios/scenario.check.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

/**
 * The real files of each format, copied verbatim from public repositories (see their SOURCE.md):
 * the shared reference samples, kept in the repository so the tests need nothing outside it.
 */
export const SAMPLES = join(PROJECT_ROOT, 'tests/fixtures/import-samples');

export function sample(rel: string): { name: string; content: string } {
  return { name: rel.split('/').pop()!, content: readFileSync(join(SAMPLES, rel), 'utf8') };
}

export function request(format: ImportRequest['format'], ...files: { name: string; content: string }[]): string {
  return JSON.stringify({ format, files });
}

/** Every file under the scenarios folder with its text: what an import may have changed. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const abs = join(d, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else out[relative(dir, abs)] = readFileSync(abs, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** A written scenario, parsed, after checking it with the project's checker against the folder's taxonomy. */
export function writtenScenario(scenariosDir: string, category: string, id: string): Record<string, unknown> {
  const text = readFileSync(join(scenariosDir, category, `${id}.yaml`), 'utf8');
  const taxonomy = TaxonomySchema.parse(parse(readFileSync(join(scenariosDir, 'taxonomy.yaml'), 'utf8')));
  const { scenario, diagnostics } = checkScenarioText(text, { taxonomy, fileId: id, folder: category });
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => `${id}: ${d.message}`);
  if (!scenario || errors.length) throw new Error(`does not validate: ${errors.join('; ')}`);
  return parse(text) as Record<string, unknown>;
}

/** Checks every scenario file under the folder with the project's checker; returns the problems. */
export function invalidScenarios(scenariosDir: string): string[] {
  const taxonomy = TaxonomySchema.parse(parse(readFileSync(join(scenariosDir, 'taxonomy.yaml'), 'utf8')));
  const problems: string[] = [];
  for (const rel of Object.keys(snapshot(scenariosDir)).filter((r) => r.includes('/') && r.endsWith('.yaml'))) {
    const [folder, file] = rel.split('/') as [string, string];
    const text = readFileSync(join(scenariosDir, rel), 'utf8');
    const { scenario, diagnostics } = checkScenarioText(text, {
      taxonomy,
      fileId: file.replace(/\.yaml$/, ''),
      folder,
    });
    if (!scenario) problems.push(`${rel}: not a scenario`);
    for (const d of diagnostics.filter((x) => x.severity === 'error'))
      problems.push(`${rel}:${d.line}:${d.column}: ${d.message}`);
  }
  return problems;
}
