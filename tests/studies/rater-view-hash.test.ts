import { describe, expect, it } from 'vitest';
import { checkScenarioText } from '../../server/scenarios/scenario.check.ts';
import { normalized, raterViewHash, raterViewOf } from '../../server/studies/rater-view.ts';
import { readFileSync } from 'node:fs';
import { listScenarioFiles } from '../../server/scenarios/scenario.paths.ts';
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

  it('gives every value the JSON the normalisation as first written gave it, key order included', () => {
    const same = (value: unknown) =>
      expect(JSON.stringify(normalized(value))).toBe(JSON.stringify(splitEveryString(value)));
    // Array-index keys come first in any JavaScript object, in numeric order; undefined is left out
    // of objects and is null in arrays, as JSON.stringify has it.
    same({
      b: [' x \n y ', { d: 'z  \n', c: 1 }],
      a: null,
      '10': 't ',
      '2': 'u\t\n',
      '-1': 1,
      '01': 2,
      '4294967295': 3,
    });
    same({ kept: 1, gone: undefined, list: [undefined, 1, null, true, false, 0, -0, 1.5e300, NaN, Infinity] });
    same({ when: new Date(0), nested: { deeper: { deepest: ['a \n'] } } });
    same(JSON.parse('{"b": 1, "__proto__": {"x": " y "}, "a": [2]}'));
    same([]);
    same({});
    // Values of every shape, from a fixed seed.
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const keys = ['a', 'b', 'Z', '0', '7', '12', 'é', 'a b', '', '1e3', '007'];
    const texts = ['x', ' y ', 'two  \nlines ', '"quoted"\t', '\u2028', '\\'];
    const valueOf = (depth: number): unknown => {
      const kind = depth > 3 ? pick([0, 1, 2]) : pick([0, 1, 2, 3, 4]);
      if (kind === 0) return pick(texts);
      if (kind === 1) return pick([1, -2.5, 0, null, true, false, undefined]);
      if (kind === 2) return pick(texts) + pick(texts);
      if (kind === 3) return Array.from({ length: pick([0, 1, 3]) }, () => valueOf(depth + 1));
      return Object.fromEntries(Array.from({ length: pick([0, 2, 5]) }, () => [pick(keys), valueOf(depth + 1)]));
    };
    for (let i = 0; i < 500; i++) same(valueOf(0));
  });

  it('is the same for every shipped scenario, whichever way it is written', () => {
    const taxonomy = loadTaxonomy(`${PROJECT_ROOT}/scenarios`);
    let views = 0;
    for (const file of listScenarioFiles(`${PROJECT_ROOT}/scenarios`)) {
      const { scenario } = checkScenarioText(readFileSync(file.absPath, 'utf8'), { taxonomy });
      if (!scenario) continue;
      const view = raterViewOf(scenario);
      expect(JSON.stringify(normalized(view))).toBe(JSON.stringify(splitEveryString(view)));
      views++;
    }
    expect(views).toBeGreaterThan(50);
  });
});
