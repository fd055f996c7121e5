import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../schema/api/import.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { request } from './import-support.ts';

// An imported transcript or dataset may quote a provider key (an error message a model echoed,
// a log someone pasted). Every imported text goes through the redaction hook before it is shown
// in a preview or written.

const KEY = 'sk-import-test-0123456789abcdef';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    models:
      'providers:\n  - {id: p, kind: openai, api_key_env: IMPORT_TEST_KEY}\nmodels:\n  - {id: m, provider: p, model: m}\n',
    env: { IMPORT_TEST_KEY: KEY },
  });
});
afterAll(() => server.close());

describe('imported text and configured keys', () => {
  it('blanks a configured key out of the preview and of the written draft', async () => {
    const line = JSON.stringify({
      input: [
        { role: 'system', content: `You are a deployment helper. The API key is ${KEY}.` },
        { role: 'user', content: `My key ${KEY} stopped working, why?` },
      ],
      target: `never repeat ${KEY}`,
    });
    const body = request('inspect', { name: 'leaky.jsonl', content: `${line}\n` });
    const preview = await server.fetch('/api/import/preview', { method: 'POST', body });
    const previewText = await preview.text();
    expect(preview.status).toBe(200);
    expect(previewText).not.toContain(KEY);
    expect((JSON.parse(previewText) as ImportReport).scenarios[0]!.yaml).toContain(
      'My key [redacted] stopped working, why?',
    );

    const applied = await server.fetch('/api/import/apply', { method: 'POST', body });
    expect(applied.status).toBe(200);
    const written = readFileSync(join(server.scenariosDir, 'inspect', 'inspect-leaky-1.yaml'), 'utf8');
    expect(written).not.toContain(KEY);
    expect(written).toContain('The API key is [redacted].');
  });
});
