// Drives the fake Anthropic Messages server with the real AI SDK client (`ai` 6 +
// @ai-sdk/anthropic), pinning both the fake's protocol and what the SDK makes of each situation.

import { createAnthropic } from '@ai-sdk/anthropic';
import {
  APICallError,
  generateText,
  InvalidToolInputError,
  jsonSchema,
  NoSuchToolError,
  RetryError,
  stepCountIs,
  streamText,
  tool,
  type TextStreamPart,
  type ToolSet,
} from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from './fake-anthropic.ts';
import {
  always,
  lastUserText,
  offeredToolNames,
  sequence,
  systemText,
  toolResults,
  type FakeServer,
  type FakeServerOptions,
} from './fake-script.ts';
import { budget } from '../support/budget.ts';

const KEY = 'sk-ant-test-good';
// A model id the SDK knows: with an unknown id it warns and caps max_tokens at 4096.
const MODEL = 'claude-sonnet-4-5';
const open: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

async function fake(opts: FakeServerOptions): Promise<FakeServer> {
  const f = await startFakeAnthropic({ apiKey: KEY, ...opts });
  open.push(f);
  return f;
}

const model = (f: FakeServer, apiKey = KEY) => createAnthropic({ baseURL: f.url, apiKey })(MODEL);

function weatherTools(calls: unknown[] = []) {
  return {
    weather: tool({
      description: 'Current weather in a city',
      inputSchema: jsonSchema<{ city: string }>({
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
        additionalProperties: false,
      }),
      execute: async (input) => {
        calls.push(input);
        return { city: input.city, celsius: 21 };
      },
    }),
  };
}

async function collect<T extends ToolSet>(stream: AsyncIterable<TextStreamPart<T>>): Promise<TextStreamPart<T>[]> {
  const parts: TextStreamPart<T>[] = [];
  for await (const p of stream) parts.push(p);
  return parts;
}

describe('fake Anthropic Messages API, through @ai-sdk/anthropic', () => {
  it('streams text in several deltas, reports usage and the stop reason', async () => {
    const f = await fake({ script: always({ text: 'The quick brown fox jumps.', usage: { input: 12, output: 7 } }) });
    const result = streamText({ model: model(f), system: 'Be brief.', prompt: 'Tell me about foxes' });
    const parts = await collect(result.fullStream);
    const deltas = parts.filter((p) => p.type === 'text-delta').map((p) => p.text);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe('The quick brown fox jumps.');
    expect(await result.finishReason).toBe('stop');
    expect((await result.steps)[0]!.rawFinishReason).toBe('end_turn');
    const usage = await result.usage;
    expect(usage.inputTokens).toBe(12);
    expect(usage.outputTokens).toBe(7);
    expect(parts.find((p) => p.type === 'start-step')).toMatchObject({ warnings: [] });

    const req = f.requests[0]!;
    expect(req.path).toBe('/v1/messages');
    expect(req.headers['x-api-key']).toBe(KEY);
    expect(req.headers['anthropic-version']).toBe('2023-06-01');
    expect(req.body).toMatchObject({ model: MODEL, stream: true });
    expect(lastUserText(req.body)).toBe('Tell me about foxes');
    expect(systemText(req.body)).toBe('Be brief.');
  });

  it('answers non-streaming requests with a message body', async () => {
    const f = await fake({ script: always({ text: 'Plain answer.', usage: { input: 3, output: 2 } }) });
    const result = await generateText({ model: model(f), prompt: 'hi' });
    expect(result.text).toBe('Plain answer.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toMatchObject({ inputTokens: 3, outputTokens: 2 });
    expect(f.requests[0]!.body.stream).toBeUndefined();
  });

  it('emits the real SSE event sequence', async () => {
    const f = await fake({
      script: always({ text: 'Hi you', toolCalls: [{ name: 'weather', arguments: '{"city":"Paris"}' }] }),
    });
    const res = await fetch(`${f.url}/messages`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: MODEL,
        max_tokens: 100,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await res.text())
      .trim()
      .split('\n\n')
      .map((frame) => {
        const [eventLine, dataLine] = frame.split('\n');
        const data = JSON.parse(dataLine!.slice('data: '.length));
        expect(eventLine).toBe(`event: ${data.type}`);
        return data;
      });
    const summary = events.map((e) =>
      e.type === 'content_block_delta'
        ? `delta:${e.delta.type}`
        : e.type === 'content_block_start'
          ? `start:${e.content_block.type}`
          : e.type,
    );
    expect(summary).toEqual([
      'message_start',
      'ping',
      'start:text',
      'delta:text_delta',
      'delta:text_delta',
      'content_block_stop',
      'start:tool_use',
      'delta:input_json_delta',
      'delta:input_json_delta',
      'delta:input_json_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events.at(-2)).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { output_tokens: expect.any(Number) },
    });
  });

  it('round-trips a streamed tool call: the second request carries the tool_result', async () => {
    const f = await fake({
      script: sequence(
        { text: 'Let me look.', toolCalls: [{ name: 'weather', arguments: '{"city":"Paris"}' }] },
        { text: 'It is 21 degrees in Paris.' },
      ),
    });
    const calls: unknown[] = [];
    const result = streamText({
      model: model(f),
      prompt: 'Weather in Paris?',
      tools: weatherTools(calls),
      stopWhen: stepCountIs(3),
    });
    const parts = await collect(result.fullStream);
    expect(parts.filter((p) => p.type === 'tool-input-delta').length).toBeGreaterThan(1);
    expect(parts.find((p) => p.type === 'tool-call')).toMatchObject({
      toolName: 'weather',
      input: { city: 'Paris' },
      toolCallId: 'toolu_fake0_0',
    });
    expect(calls).toEqual([{ city: 'Paris' }]);
    expect(await result.text).toBe('It is 21 degrees in Paris.');
    expect((await result.steps).map((s) => s.rawFinishReason)).toEqual(['tool_use', 'end_turn']);

    expect(offeredToolNames(f.requests[0]!.body)).toEqual(['weather']);
    const second = f.requests[1]!.body;
    expect(toolResults(second)).toEqual([
      { toolCallId: 'toolu_fake0_0', content: JSON.stringify({ city: 'Paris', celsius: 21 }), isError: false },
    ]);
    // The tool_result rides in a user turn, but lastUserText still finds the human's words.
    expect(lastUserText(second)).toBe('Weather in Paris?');
    const assistant = second.messages.find((m: any) => m.role === 'assistant');
    expect(assistant.content.find((b: any) => b.type === 'tool_use')).toMatchObject({
      id: 'toolu_fake0_0',
      name: 'weather',
      input: { city: 'Paris' },
    });
  });

  it('round-trips a tool call without streaming too', async () => {
    const f = await fake({
      script: sequence({ toolCalls: [{ name: 'weather', arguments: '{"city":"Oslo"}' }] }, { text: 'Cold.' }),
    });
    const calls: unknown[] = [];
    const result = await generateText({
      model: model(f),
      prompt: 'Weather in Oslo?',
      tools: weatherTools(calls),
      stopWhen: stepCountIs(3),
    });
    expect(calls).toEqual([{ city: 'Oslo' }]);
    expect(result.text).toBe('Cold.');
    expect(toolResults(f.requests[1]!.body)[0]!.content).toContain('Oslo');
  });

  it('401 for a wrong x-api-key: APICallError 401 with the Anthropic error body', async () => {
    const f = await fake({ script: always({ text: 'never' }) });
    const error = await generateText({ model: model(f, 'sk-ant-wrong'), prompt: 'hi' }).catch((e) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error.statusCode).toBe(401);
    expect(error.isRetryable).toBe(false);
    expect(error.message).toBe('invalid x-api-key');
    expect(error.data).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid x-api-key' },
    });
    expect(f.requests).toHaveLength(1);

    const result = streamText({ model: model(f, 'sk-ant-wrong'), prompt: 'hi', onError: () => {} });
    const errorPart = (await collect(result.fullStream)).find((p) => p.type === 'error');
    expect((errorPart?.error as APICallError).statusCode).toBe(401);
  });

  it('429 with Retry-After: statusCode 429 with maxRetries 0; by default 2 retries, then RetryError', async () => {
    const f = await fake({ script: always({ status: 429, retryAfterSeconds: 0.05 }) });
    const error = await generateText({ model: model(f), prompt: 'hi', maxRetries: 0 }).catch((e) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error.statusCode).toBe(429);
    expect(error.data.error.type).toBe('rate_limit_error');
    expect(error.responseHeaders['retry-after']).toBe('0.05');

    const started = Date.now();
    const result = streamText({ model: model(f), prompt: 'hi', onError: () => {} });
    const errorPart = (await collect(result.fullStream)).find((p) => p.type === 'error');
    // The 2 s + 4 s exponential backoff it must not take is 6 s; the budget scales with load, below that.
    expect(Date.now() - started).toBeLessThan(Math.min(budget(1500), 5000));
    expect(RetryError.isInstance(errorPart?.error)).toBe(true);
    expect((errorPart!.error as RetryError).errors).toHaveLength(3);
    expect(((errorPart!.error as RetryError).lastError as APICallError).statusCode).toBe(429);
    expect(f.requests).toHaveLength(4);
  });

  it('500 and 529 surface as APICallErrors carrying the status', async () => {
    const f = await fake({ script: sequence({ status: 500 }, { status: 529 }) });
    const e500 = await generateText({ model: model(f), prompt: 'hi', maxRetries: 0 }).catch((e) => e);
    expect(e500.statusCode).toBe(500);
    expect(e500.data).toMatchObject({ error: { type: 'api_error' } });
    const e529 = await generateText({ model: model(f), prompt: 'hi', maxRetries: 0 }).catch((e) => e);
    expect(e529.statusCode).toBe(529);
    expect(e529.isRetryable).toBe(true);
    expect(e529.message).toBe('Overloaded');
  });

  it('a stream cut mid-answer: partial text, then the iterator throws an APICallError', async () => {
    // message_start, ping, content_block_start, then two text deltas: "Hell", "o th".
    const f = await fake({ script: always({ text: 'Hello there, this answer is cut short.', cutAfterChunks: 5 }) });
    const onError: unknown[] = [];
    const result = streamText({ model: model(f), prompt: 'hi', onError: ({ error }) => void onError.push(error) });
    let text = '';
    let thrown: any;
    try {
      for await (const delta of result.textStream) text += delta;
    } catch (e) {
      thrown = e;
    }
    expect(text).toBe('Hello th');
    expect(APICallError.isInstance(thrown)).toBe(true);
    expect(thrown.statusCode).toBe(200);
    expect(thrown.cause.message).toBe('terminated');
    expect(onError).toEqual([]);
    await expect(result.usage).rejects.toBe(thrown);
    expect(f.requests).toHaveLength(1);
  });

  it('malformed tool-input JSON (streamed): an invalid tool call plus a tool-error fed back as is_error tool_result', async () => {
    // Same as with OpenAI: tool-call part with invalid: true, dynamic: true,
    // error InvalidToolInputError and the raw text as input; no execute(); a tool-error part;
    // the message goes back to the model (here as a tool_result with is_error: true).
    const f = await fake({
      script: sequence({ toolCalls: [{ name: 'weather', arguments: '{"city": "Par' }] }, { text: 'Sorry.' }),
    });
    const calls: unknown[] = [];
    const result = streamText({
      model: model(f),
      prompt: 'Weather?',
      tools: weatherTools(calls),
      stopWhen: stepCountIs(3),
    });
    const parts = await collect(result.fullStream);
    const call = parts.find((p) => p.type === 'tool-call')!;
    expect(call).toMatchObject({ input: '{"city": "Par', invalid: true, dynamic: true });
    expect(InvalidToolInputError.isInstance((call as any).error)).toBe(true);
    expect(parts.find((p) => p.type === 'tool-error')).toMatchObject({ toolName: 'weather' });
    expect(calls).toEqual([]);
    expect(await result.text).toBe('Sorry.');
    const [fedBack] = toolResults(f.requests[1]!.body);
    expect(fedBack).toMatchObject({ toolCallId: 'toolu_fake0_0', isError: true });
    expect(fedBack!.content).toMatch(/Invalid input for tool weather/);
  });

  it('malformed tool input without streaming: a JSON string input, which jsonSchema() does NOT reject', async () => {
    // The non-streaming body cannot hold unparsable JSON, so the fake sends `input: "<raw>"`.
    // The SDK re-serialises it, it parses (to a string), and jsonSchema() has no validator:
    // execute() runs with a string. A zod inputSchema would reject it (InvalidToolInputError).
    const f = await fake({
      script: sequence({ toolCalls: [{ name: 'weather', arguments: '{"city": "Par' }] }, { text: 'Hm.' }),
    });
    const calls: unknown[] = [];
    const result = await generateText({
      model: model(f),
      prompt: 'Weather?',
      tools: weatherTools(calls),
      stopWhen: stepCountIs(3),
    });
    expect(calls).toEqual(['{"city": "Par']);
    expect(result.text).toBe('Hm.');
  });

  it('an undefined tool name: invalid tool call with NoSuchToolError', async () => {
    const f = await fake({
      script: sequence({ toolCalls: [{ name: 'launch_missiles', arguments: '{}' }] }, { text: 'Never mind.' }),
    });
    const result = streamText({ model: model(f), prompt: 'Do it', tools: weatherTools(), stopWhen: stepCountIs(3) });
    const parts = await collect(result.fullStream);
    const call = parts.find((p) => p.type === 'tool-call')!;
    expect(call).toMatchObject({ toolName: 'launch_missiles', invalid: true, dynamic: true });
    expect(NoSuchToolError.isInstance((call as any).error)).toBe(true);
    expect(parts.find((p) => p.type === 'tool-error')).toMatchObject({ toolName: 'launch_missiles' });
    expect(await result.text).toBe('Never mind.');
  });

  it('a hung request is aborted by an AbortSignal timeout', async () => {
    const f = await fake({ script: always({ hang: true }) });
    const started = Date.now();
    const error = await generateText({ model: model(f), prompt: 'hi', abortSignal: AbortSignal.timeout(100) }).catch(
      (e) => e,
    );
    expect(error.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(budget(2000));

    const result = streamText({ model: model(f), prompt: 'hi', abortSignal: AbortSignal.timeout(100) });
    expect((await collect(result.fullStream)).map((p) => p.type)).toEqual(['start', 'abort']);
    await expect(result.text).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});

describe('fake Anthropic HTTP surface', () => {
  it('requires anthropic-version, lists models, 404s unknown URLs in Anthropic shape', async () => {
    const f = await fake({ script: always({ text: 'x' }), models: ['claude-a'] });
    const headers = { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' };
    const list = await fetch(`${f.url}/models`, { headers });
    expect(await list.json()).toMatchObject({ data: [{ type: 'model', id: 'claude-a' }], has_more: false });
    const noVersion = await fetch(`${f.url}/messages`, { method: 'POST', headers: { 'x-api-key': KEY }, body: '{}' });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const noKey = await fetch(`${f.url}/messages`, {
      method: 'POST',
      headers: { 'anthropic-version': '2023-06-01' },
      body: '{}',
    });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: { message: 'x-api-key header is required' } });
    const unknown = await fetch(`${f.url}/complete`, { method: 'POST', headers, body: '{}' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});
