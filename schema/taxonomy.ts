import { z } from 'zod';

const TaxonomyId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case: lowercase letters, digits and single hyphens');

/** One behaviour a scenario can probe. Retired behaviours stay listed so old scenarios still resolve. */
export const BehaviourSchema = z.strictObject({
  id: TaxonomyId,
  name: z.string().min(1),
  description: z.string().min(1),
  retired: z.boolean().optional(),
});
export type Behaviour = z.infer<typeof BehaviourSchema>;

export const CategorySchema = z.strictObject({
  id: TaxonomyId,
  name: z.string().min(1),
  description: z.string().min(1),
  behaviours: z.array(BehaviourSchema).min(1),
});
export type Category = z.infer<typeof CategorySchema>;

/** The behaviour taxonomy, kept as data (scenarios/taxonomy.yaml) so researchers change it without code. */
export const TaxonomySchema = z
  .strictObject({ categories: z.array(CategorySchema).min(1) })
  .superRefine((taxonomy, ctx) => {
    const seen = new Map<string, string>();
    taxonomy.categories.forEach((category, ci) => {
      category.behaviours.forEach((behaviour, bi) => {
        const other = seen.get(behaviour.id);
        if (other !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['categories', ci, 'behaviours', bi, 'id'],
            message: `behaviour id "${behaviour.id}" is already used in category "${other}"`,
          });
        }
        seen.set(behaviour.id, category.id);
      });
    });
    const ids = taxonomy.categories.map((c) => c.id);
    ids.forEach((id, ci) => {
      if (ids.indexOf(id) !== ci) {
        ctx.addIssue({ code: 'custom', path: ['categories', ci, 'id'], message: `category id "${id}" is used twice` });
      }
    });
  });
export type Taxonomy = z.infer<typeof TaxonomySchema>;
