import type { Taxonomy } from '../../schema/taxonomy.ts';
import { checkScenarioText, type ScenarioCheckResult } from '../scenarios/scenario.check.ts';

/** Scenario texts whose check is kept: a run's items of one scenario are models x repeats x variants. */
const KEPT = 512;

/**
 * The run engine's checks of its items' scenario texts, each text checked once per taxonomy (issue
 * 20 point 2, per-run work done per scenario): every item parsed and checked its text (YAML, the
 * schema, the taxonomy's rules), though a run's items of one scenario (its models, repeats and
 * variants) share one text, and a run repeated over the same corpus meets the same texts again.
 * The least recently used go first; a new taxonomy (a reload) starts afresh, since its rules decide
 * the check. What is kept is never changed by its readers (a variant is expanded into a copy).
 */
export class CheckedScenarios {
  private readonly kept = new Map<string, ScenarioCheckResult>();
  private taxonomy: Taxonomy | null = null;

  check(text: string, taxonomy: Taxonomy): ScenarioCheckResult {
    if (taxonomy !== this.taxonomy) {
      this.kept.clear();
      this.taxonomy = taxonomy;
    }
    const known = this.kept.get(text);
    if (known) {
      this.kept.delete(text);
      this.kept.set(text, known);
      return known;
    }
    const checked = checkScenarioText(text, { taxonomy });
    if (this.kept.size >= KEPT) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(text, checked);
    return checked;
  }
}
