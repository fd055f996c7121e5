import { useTaxonomy } from '../api/useTaxonomy.ts';

export interface CategoryBehaviour {
  category?: string;
  behavior?: string;
}

/**
 * Category and behaviour pickers for choosing scenarios ("Any" for either); the behaviours offered
 * are those of the chosen category, and changing the category clears the behaviour.
 */
export function CategoryBehaviourFields({
  value,
  onChange,
  testIdPrefix,
}: {
  value: CategoryBehaviour;
  onChange(next: CategoryBehaviour): void;
  testIdPrefix: string;
}) {
  const taxonomy = useTaxonomy();
  const categories = taxonomy.data?.categories ?? [];
  const behaviours = categories.filter((c) => !value.category || c.id === value.category).flatMap((c) => c.behaviours);
  return (
    <>
      <label className="form-field">
        <span>Category</span>
        <select
          value={value.category ?? ''}
          data-testid={`${testIdPrefix}-category`}
          onChange={(e) => onChange({ category: e.target.value || undefined, behavior: undefined })}
        >
          <option value="">Any</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label className="form-field">
        <span>Behaviour</span>
        <select
          value={value.behavior ?? ''}
          data-testid={`${testIdPrefix}-behavior`}
          onChange={(e) => onChange({ category: value.category, behavior: e.target.value || undefined })}
        >
          <option value="">Any</option>
          {behaviours.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
