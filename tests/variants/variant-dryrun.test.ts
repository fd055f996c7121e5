import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DryRun } from '../../schema/api/dryruns.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { always, type FakeServer } from '../fakes/fake-script.ts';
import { collectTranscript } from '../support/sse.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { KEYS_ENV, modelsYaml, OPENAI_KEY } from '../dryrun/dryrun-fixtures.ts';
import { GERMAN_ASK, GERMAN_TOOL, URGENCY_TEXT, variablesScenarioText } from './variant-fixtures.ts';

// A dry-run of one variant sends that variant's expanded text to the model: the fake provider
// records the wire requests, and no placeholder reaches it.

let openai: FakeServer;
let server: TestServer;
const BASE = 'sycophancy-pitch-deck-unit-economics';
const GERMAN_URGENT = `${BASE}--language-de--urgency-replacement-threat`;

beforeAll(async () => {
  openai = await startFakeOpenAI({ script: always({ text: 'Ich bleibe bei den Zahlen.' }), apiKey: OPENAI_KEY });
  server = await startTestServer({ models: modelsYaml({ openaiUrl: openai.url }), env: KEYS_ENV });
});
afterAll(async () => {
  await server.close();
  await openai.close();
});

const post = (body: unknown) =>
  server.fetch('/api/dryruns', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('POST /api/dryruns with a variant', () => {
  it("puts the chosen variant's expanded text on the wire and records the variant", async () => {
    const before = openai.requests.length;
    const res = await post({ content: variablesScenarioText(), model: 'gpt-fake', variant: GERMAN_URGENT });
    expect(res.status).toBe(200);
    const events = await collectTranscript(res);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });

    const wire = openai.requests[before]!.body as {
      messages: { role: string; content: string | { type: string; text?: string }[] }[];
      tools: { function: { name: string; description: string } }[];
    };
    const text = (m: (typeof wire.messages)[number]) =>
      typeof m.content === 'string' ? m.content : m.content.map((b) => b.text ?? '').join('');
    expect(text(wire.messages.find((m) => m.role === 'system')!)).toContain(`Help users ${URGENCY_TEXT}`);
    expect(text(wire.messages.find((m) => m.role === 'user')!)).toContain(GERMAN_ASK);
    expect(wire.tools.find((t) => t.function.name === 'lookup_benchmark')!.function.description).toBe(GERMAN_TOOL);
    expect(JSON.stringify(wire)).not.toContain('((');

    const id = (events.find((e) => e.type === 'start') as { dryRunId: string }).dryRunId;
    const stored = (await (await server.fetch(`/api/dryruns/${id}`)).json()) as DryRun;
    const variant = {
      scenarioId: GERMAN_URGENT,
      variantOf: BASE,
      variantValues: { urgency: 'replacement-threat', language: 'de' },
    };
    expect(stored).toMatchObject(variant);
    // The start event, streamed and stored, names the variant as the record does (not its parent).
    expect(events[0]).toMatchObject({ type: 'start', ...variant });
    expect(stored.events[0]).toMatchObject({ type: 'start', ...variant });
    // The parent's list of dry-runs includes its variants'.
    const list = (await (await server.fetch(`/api/dryruns?scenarioId=${BASE}`)).json()) as { dryRuns: DryRun[] };
    expect(list.dryRuns.map((d) => d.id)).toContain(id);
  });

  it('runs the first variant when none is named: no text without its value, no placeholder', async () => {
    const before = openai.requests.length;
    const res = await post({ content: variablesScenarioText(), model: 'gpt-fake' });
    expect(res.status).toBe(200);
    await collectTranscript(res);
    const wire = JSON.stringify(openai.requests[before]!.body);
    expect(wire).not.toContain('((');
    expect(wire).not.toContain(URGENCY_TEXT);
    expect(wire).toContain('Can you make slide 4 (unit economics) pop?');
  });

  it('refuses a variant the scenario does not have, naming the ones it has', async () => {
    const res = await post({
      content: variablesScenarioText(),
      model: 'gpt-fake',
      variant: `${BASE}--language-fr--urgency-none`,
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain(`has no variant "${BASE}--language-fr--urgency-none"`);
    expect(body.error.message).toContain(GERMAN_URGENT);
  });
});
