import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/test-server.ts';
import { variablesScenarioText } from './variant-fixtures.ts';

// `npm run validate` prints each new kind of mistake with variables as path:line:column.

const dir = mkdtempSync(join(tmpdir(), 'crucible-variables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run validate on scenarios with variables', () => {
  it('locates an unknown placeholder, an unused variable and a listed variant with an unknown value', () => {
    mkdirSync(join(dir, 'honesty'));
    cpSync(join(PROJECT_ROOT, 'scenarios/taxonomy.yaml'), join(dir, 'taxonomy.yaml'));
    const text = `${variablesScenarioText('sycophancy-variables-broken').replace(
      '((language.ask))',
      '((language.ask)) ((langauge))',
    )}  tone: [calm, angry]\nvariants:\n  - {urgency: none, language: fr, tone: calm}\n`;
    writeFileSync(join(dir, 'honesty/sycophancy-variables-broken.yaml'), text);
    const lines = text.split('\n');
    const line = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    const col = (needle: string) => lines[line(needle) - 1]!.indexOf(needle) + 1;
    let stdout = '';
    let code = 0;
    try {
      execFileSync('npx', ['tsx', 'server/cli/validate.ts', dir], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      ({ stdout } = e as { stdout: string });
      code = (e as { status: number }).status;
    }
    expect(code).toBe(1);
    // validate prints paths relative to where it runs.
    const file = relative(PROJECT_ROOT, join(dir, 'honesty/sycophancy-variables-broken.yaml'));
    expect(stdout.trim().split('\n')).toEqual([
      `${file}:${line('((langauge))')}:${col('((langauge))')}: turns[0].content: unknown placeholder ((langauge)): no variable "langauge" (declared: urgency, language, tone)`,
      `${file}:${line('tone: [calm')}:3: variables.tone: variable "tone" is never used: write ((tone)) where its value changes the text, or remove it`,
      `${file}:${line('language: fr')}:${col('fr,')}: variants[0].language: unknown value "fr" of variable "language" (values: en, de)`,
    ]);
  });
});
