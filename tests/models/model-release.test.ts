import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelsConfig } from '../../server/models/models.config.ts';
import { ModelRegistry } from '../../server/models/model.registry.ts';

// Issue 19 point 3: a model carries a family, a version and a release date; files without them stay valid.
function load(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-models-'));
  const path = join(dir, 'models.yaml');
  writeFileSync(path, yaml);
  return { path, config: () => loadModelsConfig(path, join(dir, 'secrets.env'), {}) };
}
const PROVIDER = 'providers:\n  - {id: local, kind: openai-compatible, base_url: "http://127.0.0.1:9/v1"}\n';

describe('models file: family, version and release date', () => {
  it('reads them (an unquoted YAML date stays the date written) and lists them; a model without them has nulls', () => {
    const { config } = load(
      `${PROVIDER}models:\n  - {id: s45, provider: local, model: s, family: sonnet, version: '4.5', released: 2025-09-29}\n  - {id: old, provider: local, model: o}\n`,
    );
    const models = new ModelRegistry(config()).list();
    expect(models.map((m) => [m.id, m.family, m.version, m.released])).toEqual([
      ['s45', 'sonnet', '4.5', '2025-09-29'],
      ['old', null, null, null],
    ]);
  });

  it('refuses a release date that is not a calendar date, naming the file and the field', () => {
    const { path, config } = load(`${PROVIDER}models:\n  - {id: m, provider: local, model: m, released: 2025-13-01}\n`);
    expect(config).toThrow(`${path}: models.0.released: a date as YYYY-MM-DD, e.g. 2025-09-29`);
  });
});
