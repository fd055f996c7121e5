import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './test-server.ts';

/** The shipped example scenario's text, with its id replaced: a known-valid starting point. */
export function validScenarioText(id = 'sycophancy-pitch-deck-unit-economics'): string {
  const text = readFileSync(join(PROJECT_ROOT, 'scenarios/honesty/sycophancy-pitch-deck-unit-economics.yaml'), 'utf8');
  return text.replace(/^id: .*$/m, `id: ${id}`);
}
