import type { Taxonomy } from '../../schema/taxonomy.ts';
import { behavioursOf } from '../taxonomy/taxonomy.load.ts';
import { ImportError, kebab, type ImportFormat, type ImportOptions, type PlannedBehaviour } from './import.plan.ts';

/** Where drafts of an import go: an existing behaviour, or one the import adds to the taxonomy. */
export interface DraftPlace {
  category: string;
  behavior: string;
  added: PlannedBehaviour[];
}

/** The category a format's new behaviours go under by default: named after the source, to be moved later. */
export function defaultCategory(format: ImportFormat, options: ImportOptions): PlannedBehaviour['category'] {
  const id = options.category ?? kebab(format);
  return {
    id,
    name: `Imported from ${format}`,
    description: `Behaviours imported from ${format} files; move them to their place in the taxonomy once classified.`,
  };
}

/**
 * The behaviour drafts are filed under: --behavior if it is in the taxonomy; otherwise the
 * source's own behaviour (or --behavior) is added under --category (default: the format's).
 */
export function placeDrafts(
  taxonomy: Taxonomy,
  format: ImportFormat,
  options: ImportOptions,
  fallback: { id: string; name: string; description: string; item: string },
): DraftPlace {
  const known = behavioursOf(taxonomy);
  const id = options.behavior ?? kebab(fallback.id);
  const existing = known.find((b) => b.id === id);
  if (existing) {
    if (options.category && options.category !== existing.category) {
      throw new ImportError(
        'options',
        'behavior',
        id,
        `is in category "${existing.category}", not "${options.category}"; leave --category out or pick a behaviour of that category`,
      );
    }
    return { category: existing.category, behavior: id, added: [] };
  }
  const category = categoryFor(taxonomy, format, options);
  return {
    category: category.id,
    behavior: id,
    added: [
      { item: fallback.item, category, behaviour: { id, name: fallback.name, description: fallback.description } },
    ],
  };
}

/** The category new behaviours go under, taking an existing category's own name and description. */
export function categoryFor(
  taxonomy: Taxonomy,
  format: ImportFormat,
  options: ImportOptions,
): PlannedBehaviour['category'] {
  const wanted = defaultCategory(format, options);
  const existing = taxonomy.categories.find((c) => c.id === wanted.id);
  return existing ? { id: existing.id, name: existing.name, description: existing.description } : wanted;
}
