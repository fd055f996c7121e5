import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaxonomySchema, type Taxonomy } from '../../schema/taxonomy.ts';
import { loadYamlFile } from '../yaml/yaml-limits.ts';

/** The taxonomy lives beside the scenarios, so a corpus carries its own list of behaviours. */
export const TAXONOMY_FILE = 'taxonomy.yaml';

export function taxonomyPath(scenariosDir: string): string {
  return join(scenariosDir, TAXONOMY_FILE);
}

/** Reads and validates the taxonomy; throws an error naming the file and the field when it is wrong. */
export function loadTaxonomy(scenariosDir: string): Taxonomy {
  const file = taxonomyPath(scenariosDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(
      `${file}: taxonomy file not found; a scenarios folder needs one (copy the default from the project's scenarios/taxonomy.yaml)`,
    );
  }
  const parsed = TaxonomySchema.safeParse(loadYamlFile(text, file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** All behaviour ids, in taxonomy order, with their category. */
export function behavioursOf(taxonomy: Taxonomy): { id: string; category: string; name: string; retired: boolean }[] {
  return taxonomy.categories.flatMap((c) =>
    c.behaviours.map((b) => ({ id: b.id, category: c.id, name: b.name, retired: b.retired ?? false })),
  );
}
