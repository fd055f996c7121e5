import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckedScenarios } from '../../server/runs/checked-scenarios.ts';
import { checkScenarioText } from '../../server/scenarios/scenario.check.ts';
import { loadTaxonomy } from '../../server/taxonomy/taxonomy.load.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// The run engine checks each item's scenario text once per text and taxonomy (checked-scenarios.ts):
// a run's items of one scenario (models x repeats) share the check, and a taxonomy reload checks
// again under the new rules.

const taxonomy = loadTaxonomy(join(PROJECT_ROOT, 'scenarios'));

describe("the run engine's scenario checks", () => {
  it('checks a text once and hands the same result to every item of it, as a check would give it', () => {
    const checks = new CheckedScenarios();
    const text = validScenarioText('checked-once');
    const first = checks.check(text, taxonomy);
    expect(first).toEqual(checkScenarioText(text, { taxonomy }));
    expect(first.scenario?.id).toBe('checked-once');
    expect(checks.check(text, taxonomy)).toBe(first);
    // Another text is checked on its own.
    const other = checks.check(validScenarioText('checked-other'), taxonomy);
    expect(other.scenario?.id).toBe('checked-other');
    expect(checks.check(text, taxonomy)).toBe(first);
  });

  it('checks again under a reloaded taxonomy, which may refuse what the last one allowed', () => {
    const checks = new CheckedScenarios();
    const text = validScenarioText('checked-retired');
    expect(checks.check(text, taxonomy).scenario).not.toBeNull();
    // The reloaded taxonomy no longer lists the scenario's behaviour.
    const reloaded = structuredClone(taxonomy);
    for (const category of reloaded.categories)
      category.behaviours = category.behaviours.filter((behaviour) => behaviour.id !== 'sycophancy');
    const again = checks.check(text, reloaded);
    expect(again).toEqual(checkScenarioText(text, { taxonomy: reloaded }));
    expect(again.diagnostics.some((d) => d.severity === 'error' && d.message.includes('sycophancy'))).toBe(true);
  });
});
