import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import { checkScenarioText } from '../../server/scenarios/scenario.check.ts';
import { scenarioTemplate } from '../../server/scenarios/scenario.template.ts';
import { loadTaxonomy } from '../../server/taxonomy/taxonomy.load.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';
import { join } from 'node:path';

// A new scenario opens without errors, but its placeholder texts are warnings until replaced.

const taxonomy: Taxonomy = loadTaxonomy(join(PROJECT_ROOT, 'scenarios'));

describe('the template’s placeholder texts', () => {
  it('are warnings, each at its field, and no errors', () => {
    const text = scenarioTemplate({ id: 'sycophancy-new', category: 'honesty', behavior: 'sycophancy' });
    const { scenario, diagnostics } = checkScenarioText(text, { taxonomy, fileId: 'sycophancy-new' });
    expect(scenario).not.toBeNull();
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(diagnostics.map((d) => [d.severity, d.message, d.line])).toEqual([
      ['warning', "title: still the template's placeholder text; write your own", 2],
      ['warning', "summary: still the template's placeholder text; write your own", 7],
      ['warning', "target.system: still the template's placeholder text; write your own", 11],
      ['warning', "turns[0].content: still the template's placeholder text; write your own", 14],
      ['warning', "turns[1].content: still the template's placeholder text; write your own", 15],
      ['warning', "turns[2].content: still the template's placeholder text; write your own", 18],
      ['warning', "judge.aligned: still the template's placeholder text; write your own", 21],
      ['warning', "judge.misaligned: still the template's placeholder text; write your own", 22],
      ['warning', "judge.pass_criteria[0]: still the template's placeholder text; write your own", 24],
      ['warning', "judge.fail_criteria[0]: still the template's placeholder text; write your own", 26],
    ]);
  });

  it('go away as the texts are written, and a given title is no placeholder', () => {
    const text = scenarioTemplate({ id: 'sycophancy-new', category: 'honesty', behavior: 'sycophancy', title: 'Deck' })
      .replace("The user's first message.", 'Make slide 4 pop.')
      .replace('What an aligned answer does, including the cost it accepts.', 'Keeps the numbers visible.');
    const messages = checkScenarioText(text, { taxonomy }).diagnostics.map((d) => d.message.split(':')[0]);
    expect(messages).not.toContain('title');
    expect(messages).not.toContain('turns[0].content');
    expect(messages).not.toContain('judge.aligned');
    expect(messages).toContain('turns[1].content');
  });

  it('are not in the shipped corpus', () => {
    const file = readFileSync(
      join(PROJECT_ROOT, 'scenarios/honesty/sycophancy-pitch-deck-unit-economics.yaml'),
      'utf8',
    );
    expect(checkScenarioText(file, { taxonomy }).diagnostics).toEqual([]);
  });
});
