import { describe, expect, it } from 'vitest';
import { checkScenarioText } from '../../server/scenarios/scenario.check.ts';
import { normalized, raterViewHash } from '../../server/studies/rater-view.ts';
import { loadTaxonomy } from '../../server/taxonomy/taxonomy.load.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// A rating stays current while its rater view hash does: the hash of a scenario must never change
// with how it is computed, or every rating would go stale at once.

/** The normalisation as first written (cca83ad): every string split into lines, each trimmed at its end. */
function splitEveryString(value: unknown): unknown {
  if (typeof value === 'string')
    return value
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .trim();
  if (Array.isArray(value)) return value.map(splitEveryString);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, splitEveryString((value as Record<string, unknown>)[k])]),
    );
  return value;
}

describe('the rater view hash', () => {
  it('is what it was for an unchanged scenario', () => {
    const text = validScenarioText();
    const { scenario } = checkScenarioText(text, { taxonomy: loadTaxonomy(`${PROJECT_ROOT}/scenarios`) });
    expect(raterViewHash(text, scenario)).toBe('view:e7eedfdf56c544c5f429394897a24b65d8ed5191cd97be48e4487693f0c604b7');
  });

  it('normalises every text as splitting it into lines and trimming each would', () => {
    const texts = [
      'plain',
      '  padded  ',
      'two\nlines',
      'trailing  \nspaces\t\nhere ',
      'blank\n\nlines\n\n',
      'spaces on a blank line\n   \nthen text',
      'windows\r\nline\r\nends\r\n',
      'no-break\u00a0\nspace',
      'line\u2028separator\u2028\nend',
      '\n\n  leading blank lines',
      'ideographic\u3000\nspace',
      '',
      '   ',
      '\n',
    ];
    for (const text of texts) expect(normalized(text), JSON.stringify(text)).toBe(splitEveryString(text));
    const nested = { b: [' x \n y ', { d: 'z  \n', c: 1 }], a: null, '10': 't ', '2': 'u\t\n' };
    expect(JSON.stringify(normalized(nested))).toBe(JSON.stringify(splitEveryString(nested)));
  });
});
