import { api, readJson } from './client.ts';

/** The taxonomy as the studio shows it: categories, their behaviours, scenario counts. */
export async function fetchTaxonomy() {
  return readJson(await api.taxonomy.$get());
}
export type TaxonomyView = Awaited<ReturnType<typeof fetchTaxonomy>>;

/** The scenario JSON Schema (draft 2020-12) the editor validates against. */
export async function fetchScenarioJsonSchema(): Promise<Record<string, unknown>> {
  return readJson(await api.taxonomy['scenario-schema'].$get());
}
