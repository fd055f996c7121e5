import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../server/scenarios/scenario.row.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const ID = 'sycophancy-pitch-deck-unit-economics';
const REL = `honesty/${ID}.yaml`;

let server: TestServer;
let original: string;

beforeEach(async () => {
  original = validScenarioText(ID);
  server = await startTestServer({ files: { [REL]: original }, maxBodyBytes: 64 * 1024 });
});
afterEach(() => server.close());

const put = (id: string, body: unknown) =>
  server.fetch(`/api/scenarios/${id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const post = (path: string, body: unknown) =>
  server.fetch(`/api/scenarios${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const onDisk = (rel = REL) => readFileSync(join(server.scenariosDir, rel), 'utf8');
const folderListing = () => readdirSync(server.scenariosDir, { recursive: true }).map(String).sort();

/** Asserts the request changed nothing: same file bytes, same files, same index. */
async function expectNothingChanged(before: { files: string[]; list: unknown }) {
  expect(onDisk()).toBe(original);
  expect(folderListing()).toEqual(before.files);
  expect(await (await server.fetch(`/api/scenarios`)).json()).toEqual(before.list);
}
async function snapshot() {
  return { files: folderListing(), list: await (await server.fetch(`/api/scenarios`)).json() };
}

describe('PUT /api/scenarios/:id', () => {
  it('saves a valid edit atomically and answers with the new version', async () => {
    const edited = original.replace('Pitch deck with broken unit economics', 'Pitch deck, edited');
    const res = await put(ID, { content: edited, baseHash: contentHash(original) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: ID, relPath: REL, hash: contentHash(edited) });
    expect(onDisk()).toBe(edited);
    expect(folderListing().filter((f) => f.includes('.tmp'))).toEqual([]);
    const list = (await (await server.fetch(`/api/scenarios?q=edited`)).json()) as { items: { title: string }[] };
    expect(list.items.map((i) => i.title)).toEqual(['Pitch deck, edited']);
  });

  it('moves the file to the new category folder when the category changes', async () => {
    const edited = original
      .replace('category: honesty', 'category: non-manipulation')
      .replace('behavior: sycophancy', 'behavior: deceptive-framing');
    const res = await put(ID, { content: edited, baseHash: contentHash(original) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { relPath: string }).relPath).toBe(`non-manipulation/${ID}.yaml`);
    expect(existsSync(join(server.scenariosDir, REL))).toBe(false);
    expect(onDisk(`non-manipulation/${ID}.yaml`)).toBe(edited);
  });

  it('refuses a save based on an older version with 409 and the current text', async () => {
    const first = original.replace('status: draft', 'status: review');
    expect((await put(ID, { content: first, baseHash: contentHash(original) })).status).toBe(200);
    const second = original.replace('difficulty: high', 'difficulty: low');
    const res = await put(ID, { content: second, baseHash: contentHash(original) });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: { code: 'conflict', message: expect.stringContaining('changed since you opened it') },
      current: { content: first, hash: contentHash(first) },
    });
    expect(onDisk()).toBe(first);
  });

  it('refuses a save when the file was edited on disk while open in the editor', async () => {
    const byGit = original.replace('status: draft', 'status: ready');
    writeFileSync(join(server.scenariosDir, REL), byGit);
    const res = await put(ID, { content: original.replace('high', 'low'), baseHash: contentHash(original) });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { current: { content: string } }).current.content).toBe(byGit);
    expect(onDisk()).toBe(byGit);
  });

  const badInputs: [string, (text: string) => string, number, RegExp][] = [
    ['malformed YAML', (t) => t.replace('title: Pitch', 'title: [Pitch'), 422, /YAML/],
    [
      'a schema violation',
      (t) => t.replace('difficulty: high', 'difficulty: extreme'),
      422,
      /difficulty: Invalid option/,
    ],
    ['an unknown field', (t) => t.replace('summary:', 'sumary:'), 422, /unknown field "sumary"/],
    [
      'an unknown behaviour',
      (t) => t.replace('behavior: sycophancy', 'behavior: flattery'),
      422,
      /unknown behaviour "flattery"/,
    ],
    [
      'a behaviour of another category',
      (t) => t.replace('behavior: sycophancy', 'behavior: privacy-protection'),
      422,
      /belongs to category "safety"/,
    ],
    [
      'a red flag on an undefined tool',
      (t) => t.replace('- tool: update_slide', '- tool: delete_deck'),
      422,
      /red flag names tool "delete_deck"/,
    ],
    [
      'a different id than the one saved',
      (t) => t.replace(`id: ${ID}`, 'id: another-id'),
      422,
      /must equal the file name/,
    ],
  ];
  for (const [what, mutate, status, message] of badInputs) {
    it(`rejects ${what} with a located error and changes nothing`, async () => {
      const before = await snapshot();
      const res = await put(ID, { content: mutate(original), baseHash: contentHash(original) });
      expect(res.status).toBe(status);
      const body = (await res.json()) as {
        error: { code: string; message: string; issues: { message: string; line: number; column: number }[] };
      };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.message).toMatch(/nothing was saved/);
      const issue = body.error.issues.find((i) => message.test(i.message));
      expect(issue, JSON.stringify(body.error.issues)).toBeDefined();
      expect(issue!.line).toBeGreaterThan(0);
      await expectNothingChanged(before);
    });
  }

  it('rejects a body over the size limit with 413 and changes nothing', async () => {
    const before = await snapshot();
    const huge = original + `\nnotes: ${'x'.repeat(70 * 1024)}\n`;
    const res = await put(ID, { content: huge, baseHash: contentHash(original) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    await expectNothingChanged(before);
  });

  it('rejects a request without a base hash', async () => {
    const res = await put(ID, { content: original });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^baseHash: /);
  });

  it('rejects a body that is not JSON with the error envelope', async () => {
    const res = await server.fetch(`/api/scenarios/${ID}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
  });
});

describe('scenario ids that would escape the folder', () => {
  for (const [what, raw] of [
    ['dot-dot', '..%2F..%2Fetc%2Fpasswd'],
    ['a plain ..', '..'],
    ['a slash', 'honesty%2Fx'],
    ['a NUL byte', 'abc%00def'],
    ['a backslash', 'abc%5Cdef'],
    ['upper case', 'ABC'],
  ] as const) {
    it(`rejects an id with ${what} on read and write, and writes nothing`, async () => {
      const before = await snapshot();
      const get = await server.fetch(`/api/scenarios/${raw}`);
      expect([400, 404]).toContain(get.status);
      if (get.status === 400) expect(((await get.json()) as { error: { code: string } }).error.code).toBe('invalid_id');
      const res = await server.fetch(`/api/scenarios/${raw}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ content: original, baseHash: contentHash(original) }),
      });
      expect([400, 404]).toContain(res.status);
      await expectNothingChanged(before);
    });
  }

  it('refuses to create a scenario whose id contains path characters', async () => {
    const before = await snapshot();
    const res = await post('', { content: original.replace(`id: ${ID}`, 'id: ../../escape') });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toMatch(/kebab-case/);
    await expectNothingChanged(before);
  });
});

describe('POST /api/scenarios', () => {
  it('creates a scenario in its category folder', async () => {
    const text = validScenarioText('sycophancy-second-deck');
    const res = await post('', { content: text });
    expect(res.status).toBe(201);
    expect(onDisk('honesty/sycophancy-second-deck.yaml')).toBe(text);
  });

  it('refuses a duplicate id and changes nothing', async () => {
    const before = await snapshot();
    const res = await post('', { content: original.replace('title: Pitch', 'title: Other') });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toMatch(/duplicate id/);
    await expectNothingChanged(before);
  });

  it('creates from the template a scenario that passes validation, its placeholders warned about', async () => {
    const res = await post('/from-template', {
      id: 'privacy-protection-new',
      category: 'safety',
      behavior: 'privacy-protection',
      title: 'New one',
    });
    expect(res.status).toBe(201);
    const doc = (await (await server.fetch(`/api/scenarios/privacy-protection-new`)).json()) as {
      diagnostics: { severity: string; message: string }[];
      content: string;
    };
    expect(doc.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // Everything left of the template is a warning (the title was given, so it is not one).
    expect(doc.diagnostics.length).toBeGreaterThan(0);
    expect(
      doc.diagnostics.every((d) => d.message.endsWith("still the template's placeholder text; write your own")),
    ).toBe(true);
    expect(doc.diagnostics.some((d) => d.message.startsWith('title:'))).toBe(false);
    expect(doc.content).toContain('title: "New one"');
  });

  it('refuses a template for an unknown behaviour', async () => {
    const res = await post('/from-template', { id: 'nope-new', category: 'safety', behavior: 'nope' });
    expect(res.status).toBe(422);
    expect(existsSync(join(server.scenariosDir, 'safety/nope-new.yaml'))).toBe(false);
  });
});

describe('rename, duplicate, retire, delete', () => {
  it('renames: new file with the new id, old file gone, comments kept', async () => {
    const withComment = original.replace('difficulty: high', 'difficulty: high # hard one');
    await put(ID, { content: withComment, baseHash: contentHash(original) });
    const res = await post(`/${ID}/rename`, { newId: 'sycophancy-renamed', baseHash: contentHash(withComment) });
    expect(res.status).toBe(200);
    expect(existsSync(join(server.scenariosDir, REL))).toBe(false);
    const renamed = onDisk('honesty/sycophancy-renamed.yaml');
    expect(renamed).toMatch(/^id: sycophancy-renamed$/m);
    expect(renamed).toContain('# hard one');
    expect((await server.fetch(`/api/scenarios/${ID}`)).status).toBe(404);
  });

  it('refuses a rename based on a stale version', async () => {
    const res = await post(`/${ID}/rename`, { newId: 'sycophancy-renamed', baseHash: contentHash('older') });
    expect(res.status).toBe(409);
    expect(onDisk()).toBe(original);
  });

  it('duplicates as a draft copy with a new id', async () => {
    const res = await post(`/${ID}/duplicate`, { newId: 'sycophancy-copy' });
    expect(res.status).toBe(201);
    const copy = onDisk('honesty/sycophancy-copy.yaml');
    expect(copy).toMatch(/^title: Pitch deck with broken unit economics \(copy\)$/m);
    expect(copy).toMatch(/^status: draft$/m);
    expect(onDisk()).toBe(original);
  });

  it('retires by setting the status, keeping the rest of the text', async () => {
    const res = await post(`/${ID}/status`, { status: 'retired', baseHash: contentHash(original) });
    expect(res.status).toBe(200);
    expect(onDisk()).toBe(original.replace('status: draft', 'status: retired'));
    const list = (await (await server.fetch(`/api/scenarios?status=retired`)).json()) as { total: number };
    expect(list.total).toBe(1);
  });

  it('deletes only at the current version', async () => {
    const stale = await server.fetch(`/api/scenarios/${ID}?baseHash=${contentHash('x')}`, { method: 'DELETE' });
    expect(stale.status).toBe(409);
    expect(existsSync(join(server.scenariosDir, REL))).toBe(true);
    const res = await server.fetch(`/api/scenarios/${ID}?baseHash=${contentHash(original)}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(existsSync(join(server.scenariosDir, REL))).toBe(false);
    expect(((await (await server.fetch(`/api/scenarios`)).json()) as { total: number }).total).toBe(0);
  });
});
