/** The taxonomy as the run page's pure helpers read it: categories in order, names by id (useTaxonomy gives it). */
export interface TaxonomyNames {
  data?: { categories: { id: string; name: string; behaviours: { id: string; name: string }[] }[] };
  categoryName(id: string): string;
  behaviourName(id: string): string;
}
