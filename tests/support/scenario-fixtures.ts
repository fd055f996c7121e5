import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './test-server.ts';

/** The example scenario's text (a fixture copy, so corpus edits never move tests), with its id replaced: a known-valid starting point. */
export function validScenarioText(id = 'sycophancy-pitch-deck-unit-economics'): string {
  const text = readFileSync(join(PROJECT_ROOT, 'tests/fixtures/sycophancy-pitch-deck-unit-economics.yaml'), 'utf8');
  return text.replace(/^id: .*$/m, `id: ${id}`);
}
