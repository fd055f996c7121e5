// Drives the fake OpenAI server with the real AI SDK clients (`ai` 6 + @ai-sdk/openai's chat
// model + @ai-sdk/openai-compatible), pinning both the fake's protocol and what the SDK makes of
// each situation (errors, retries, cut streams, malformed tool calls, timeouts).

import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
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
import { startFakeOpenAI } from './fake-openai.ts';
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

const KEY = 'sk-test-good';
const open: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

async function fake(opts: FakeServerOptions): Promise<FakeServer> {
  const f = await startFakeOpenAI({ apiKey: KEY, ...opts });
  open.push(f);
  return f;
}

const chatModel = (f: FakeServer, apiKey = KEY) => createOpenAI({ baseURL: f.url, apiKey }).chat('gpt-4o-mini');

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

describe('fake OpenAI chat completions, through @ai-sdk/openai .chat()', () => {
  it('streams text in several deltas, reports usage and the finish reason', async () => {
    const f = await fake({ script: always({ text: 'The quick brown fox jumps.', usage: { input: 12, output: 7 } }) });
    const result = streamText({
      model: chatModel(f),
      system: 'Be brief.',
      prompt: 'Tell me about foxes',
    });
    const parts = await collect(result.fullStream);
    const deltas = parts.filter((p) => p.type === 'text-delta').map((p) => p.text);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe('The quick brown fox jumps.');
    expect(await result.text).toBe('The quick brown fox jumps.');
    expect(await result.finishReason).toBe('stop');
    const usage = await result.usage;
    expect(usage.inputTokens).toBe(12);
    expect(usage.outputTokens).toBe(7);
    expect(usage.totalTokens).toBe(19);

    // What the SDK sent: a streaming request asking for usage; the helpers read it.
    const req = f.requests[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.body.model).toBe('gpt-4o-mini');
    expect(req.body.stream).toBe(true);
    expect(req.body.stream_options).toEqual({ include_usage: true });
    expect(lastUserText(req.body)).toBe('Tell me about foxes');
    expect(systemText(req.body)).toBe('Be brief.');
  });

  it('answers non-streaming requests with a chat.completion body', async () => {
    const f = await fake({ script: always({ text: 'Plain answer.', usage: { input: 3, output: 2 } }) });
    const result = await generateText({ model: chatModel(f), prompt: 'hi' });
    expect(result.text).toBe('Plain answer.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBe(3);
    expect(result.usage.outputTokens).toBe(2);
    expect(f.requests[0]!.body.stream).toBeUndefined();
  });

  it('round-trips a streamed tool call: the second request carries the tool result', async () => {
    const f = await fake({
      script: sequence(
        { text: 'Let me look.', toolCalls: [{ name: 'weather', arguments: '{"city":"Paris"}' }] },
        { text: 'It is 21 degrees in Paris.' },
      ),
    });
    const calls: unknown[] = [];
    const result = streamText({
      model: chatModel(f),
      prompt: 'Weather in Paris?',
      tools: weatherTools(calls),
      stopWhen: stepCountIs(3),
    });
    const parts = await collect(result.fullStream);

    // The arguments arrive as several tool-input deltas, then one parsed tool call.
    expect(parts.filter((p) => p.type === 'tool-input-delta').length).toBeGreaterThan(1);
    const call = parts.find((p) => p.type === 'tool-call');
    expect(call).toMatchObject({ toolName: 'weather', input: { city: 'Paris' }, toolCallId: 'call_fake0_0' });
    expect(parts.find((p) => p.type === 'tool-result')).toMatchObject({ output: { city: 'Paris', celsius: 21 } });
    expect(calls).toEqual([{ city: 'Paris' }]);
    expect(await result.text).toBe('It is 21 degrees in Paris.');
    expect((await result.steps).map((s) => s.finishReason)).toEqual(['tool-calls', 'stop']);

    expect(f.requests).toHaveLength(2);
    expect(offeredToolNames(f.requests[0]!.body)).toEqual(['weather']);
    const second = f.requests[1]!.body;
    expect(toolResults(second)).toEqual([
      { toolCallId: 'call_fake0_0', content: JSON.stringify({ city: 'Paris', celsius: 21 }), isError: false },
    ]);
    // The assistant turn with the call is replayed before the tool message.
    const assistant = second.messages.find((m: any) => m.role === 'assistant');
    expect(assistant.tool_calls[0]).toMatchObject({ id: 'call_fake0_0', function: { name: 'weather' } });
    expect(lastUserText(second)).toBe('Weather in Paris?');
    // Usage adds up over the two steps.
    expect((await result.totalUsage).outputTokens).toBe(
      (await result.steps).reduce((n, s) => n + (s.usage.outputTokens ?? 0), 0),
    );
  });

  it('round-trips a tool call without streaming too', async () => {
    const f = await fake({
      script: sequence({ toolCalls: [{ name: 'weather', arguments: '{"city":"Oslo"}' }] }, { text: 'Cold.' }),
    });
    const calls: unknown[] = [];
    const result = await generateText({
      model: chatModel(f),
      prompt: 'Weather in Oslo?',
      tools: weatherTools(calls),
      stopWhen: stepCountIs(3),
    });
    expect(calls).toEqual([{ city: 'Oslo' }]);
    expect(result.text).toBe('Cold.');
    expect(result.steps).toHaveLength(2);
    expect(toolResults(f.requests[1]!.body)[0]!.content).toContain('Oslo');
  });

  it('401 for a wrong key: an APICallError with statusCode 401, never retried', async () => {
    const f = await fake({ script: always({ text: 'never' }) });
    const error = await generateText({ model: chatModel(f, 'sk-wrong-key'), prompt: 'hi' }).catch((e) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error.statusCode).toBe(401);
    expect(error.isRetryable).toBe(false);
    expect(error.message).toMatch(/Incorrect API key/);
    expect(JSON.parse(error.responseBody)).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_api_key' },
    });
    expect(f.requests).toHaveLength(1); // default maxRetries is 2, but 401 is not retryable

    // streamText does not throw: the error arrives as an 'error' part (and to onError).
    const onError: unknown[] = [];
    const result = streamText({
      model: chatModel(f, 'sk-wrong-key'),
      prompt: 'hi',
      onError: ({ error }) => void onError.push(error),
    });
    const parts = await collect(result.fullStream);
    const errorPart = parts.find((p) => p.type === 'error');
    expect(APICallError.isInstance(errorPart?.error)).toBe(true);
    expect((errorPart?.error as APICallError).statusCode).toBe(401);
    expect(onError).toHaveLength(1);
  });

  it('429 with Retry-After: statusCode 429 with maxRetries 0; by default 2 retries honouring the header', async () => {
    const f = await fake({ script: always({ status: 429, retryAfterSeconds: 0.05, errorMessage: 'Slow down' }) });
    const error = await generateText({ model: chatModel(f), prompt: 'hi', maxRetries: 0 }).catch((e) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error.statusCode).toBe(429);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toBe('Slow down');
    expect(error.responseHeaders['retry-after']).toBe('0.05');
    expect(error.responseHeaders['retry-after-ms']).toBe('50');
    expect(f.requests).toHaveLength(1);

    // Default maxRetries (2): three attempts, each wait taken from retry-after-ms (50 ms, not
    // the 2 s/4 s exponential backoff), then a RetryError wrapping the three APICallErrors.
    const started = Date.now();
    const retried = await generateText({ model: chatModel(f), prompt: 'hi' }).catch((e) => e);
    // The 2 s + 4 s exponential backoff it must not take is 6 s; the budget scales with load, below that.
    expect(Date.now() - started).toBeLessThan(Math.min(budget(1500), 5000));
    expect(RetryError.isInstance(retried)).toBe(true);
    expect(retried.reason).toBe('maxRetriesExceeded');
    expect(retried.errors).toHaveLength(3);
    expect((retried.lastError as APICallError).statusCode).toBe(429);
    expect(f.requests).toHaveLength(4);
  });

  it('recovers by itself from one 429 (the SDK retries)', async () => {
    const f = await fake({
      script: sequence({ status: 429, retryAfterSeconds: 0.02 }, { text: 'Second time lucky.' }),
    });
    const result = streamText({ model: chatModel(f), prompt: 'hi' });
    expect(await result.text).toBe('Second time lucky.');
    expect(f.requests).toHaveLength(2);
  });

  it('500 surfaces as an APICallError carrying the status and the OpenAI error body', async () => {
    const f = await fake({ script: always({ status: 500 }) });
    const error = await generateText({ model: chatModel(f), prompt: 'hi', maxRetries: 0 }).catch((e) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error.statusCode).toBe(500);
    expect(error.isRetryable).toBe(true);
    expect(error.data).toEqual({
      error: {
        message: 'The server had an error while processing your request.',
        type: 'server_error',
        param: null,
        code: null,
      },
    });
  });

  it('a stream cut mid-answer: partial text, then the iterator throws (not an error part)', async () => {
    const f = await fake({ script: always({ text: 'Hello there, this answer is cut short.', cutAfterChunks: 4 }) });
    const onError: unknown[] = [];
    const result = streamText({
      model: chatModel(f),
      prompt: 'hi',
      onError: ({ error }) => void onError.push(error),
    });
    let text = '';
    let thrown: any;
    try {
      for await (const delta of result.textStream) text += delta;
    } catch (e) {
      thrown = e;
    }
    // Frames 1-4: the role chunk, then three 4-character deltas.
    expect(text).toBe('Hello there,');
    // The SDK wraps undici's "terminated" in an APICallError with the *200* status of the
    // response, marked retryable; but a stream that has started is never retried, and onError
    // is not called: the error is thrown from the stream and rejects text/usage/steps.
    expect(APICallError.isInstance(thrown)).toBe(true);
    expect(thrown.message).toBe('Failed to process successful response');
    expect(thrown.statusCode).toBe(200);
    expect(thrown.cause).toBeInstanceOf(TypeError);
    expect(thrown.cause.message).toBe('terminated');
    await expect(result.text).rejects.toBe(thrown);
    expect(onError).toEqual([]);
    expect(f.requests).toHaveLength(1);
  });

  it('a truncated non-streaming body is the same APICallError (retryable: generateText would retry it)', async () => {
    const f = await fake({ script: always({ text: 'Never complete', cutAfterChunks: 1 }) });
    const error = await generateText({ model: chatModel(f), prompt: 'hi', maxRetries: 0 }).catch((e) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error.statusCode).toBe(200);
    expect(error.isRetryable).toBe(true);
  });

  it('malformed tool-call JSON: an invalid tool call plus a tool-error, fed back to the model; the loop goes on', async () => {
    // What the SDK produces (ai 6): the 'tool-call' part is kept but marked
    // `invalid: true, dynamic: true` with `error: InvalidToolInputError` (cause JSONParseError)
    // and `input` the raw text; execute() is not called; a 'tool-error' part follows whose
    // `error` is the message string; the next request sends that message back as the tool
    // result, so with stopWhen the model gets a chance to correct itself. No exception, no
    // 'error' part. An unknown tool name behaves the same with NoSuchToolError.
    const f = await fake({
      script: sequence({ toolCalls: [{ name: 'weather', arguments: '{"city": "Par' }] }, { text: 'Sorry.' }),
    });
    const calls: unknown[] = [];
    const result = streamText({
      model: chatModel(f),
      prompt: 'Weather?',
      tools: weatherTools(calls),
      stopWhen: stepCountIs(3),
    });
    const parts = await collect(result.fullStream);
    const call = parts.find((p) => p.type === 'tool-call')!;
    expect(call).toMatchObject({ toolName: 'weather', input: '{"city": "Par', invalid: true, dynamic: true });
    expect(InvalidToolInputError.isInstance((call as any).error)).toBe(true);
    const toolError = parts.find((p) => p.type === 'tool-error')!;
    expect(toolError).toMatchObject({ toolName: 'weather', dynamic: true });
    expect(String((toolError as any).error)).toMatch(/^Invalid input for tool weather: JSON parsing failed/);
    expect(parts.some((p) => p.type === 'error')).toBe(false);
    expect(calls).toEqual([]);
    expect(await result.text).toBe('Sorry.');
    const [fedBack] = toolResults(f.requests[1]!.body);
    expect(fedBack!.toolCallId).toBe('call_fake0_0');
    expect(fedBack!.content).toMatch(/Invalid input for tool weather/);
  });

  it('an undefined tool name: an invalid tool call with NoSuchToolError, then a tool-error', async () => {
    const f = await fake({
      script: sequence({ toolCalls: [{ name: 'launch_missiles', arguments: '{}' }] }, { text: 'Never mind.' }),
    });
    const result = await generateText({
      model: chatModel(f),
      prompt: 'Do it',
      tools: weatherTools(),
      stopWhen: stepCountIs(3),
    });
    const first = result.steps[0]!.content;
    const call = first.find((p) => p.type === 'tool-call')!;
    expect(call).toMatchObject({ toolName: 'launch_missiles', invalid: true, dynamic: true, input: {} });
    expect(NoSuchToolError.isInstance((call as any).error)).toBe(true);
    expect(first.find((p) => p.type === 'tool-error')).toMatchObject({
      error: "Model tried to call unavailable tool 'launch_missiles'. Available tools: weather.",
    });
    expect(result.text).toBe('Never mind.');
  });

  it('a hung request is aborted by an AbortSignal timeout', async () => {
    const f = await fake({ script: always({ hang: true }) });
    const started = Date.now();
    const error = await generateText({
      model: chatModel(f),
      prompt: 'hi',
      abortSignal: AbortSignal.timeout(100),
    }).catch((e) => e);
    expect(error.name).toBe('TimeoutError'); // the signal's DOMException, as is
    expect(Date.now() - started).toBeLessThan(budget(2000));

    // streamText: no 'error' part, an 'abort' part instead; the promises reject with the reason.
    // The fake must have the request before the timeout ends it (the check below): on a loaded
    // machine 100 ms can pass before the request is out (a CI run at load 4 saw it aborted unsent).
    const aborted: string[] = [];
    const result = streamText({
      model: chatModel(f),
      prompt: 'hi',
      abortSignal: AbortSignal.timeout(budget(1000)),
      onAbort: () => void aborted.push('onAbort'),
    });
    const parts = await collect(result.fullStream);
    expect(parts.map((p) => p.type)).toEqual(['start', 'abort']);
    expect(aborted).toEqual(['onAbort']);
    await expect(result.text).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(f.requests).toHaveLength(2);
  });

  it('chunkDelayMs paces the stream and delayMs holds the headers', async () => {
    const f = await fake({ script: always({ text: 'abcdefghijkl', chunkDelayMs: 30, delayMs: 50 }) });
    const started = Date.now();
    const stamps: number[] = [];
    const result = streamText({ model: chatModel(f), prompt: 'hi' });
    for await (const _ of result.textStream) stamps.push(Date.now() - started);
    expect(stamps).toHaveLength(3);
    // Each frame is written a gap after the last, so each arrives no sooner than its gaps: 50 ms
    // before the headers, then 30 ms before each text frame (the role frame goes first, at once).
    // Only lower bounds: on a loaded machine one read can take two frames, so the gap between two
    // arrivals can shrink, but no arrival comes before its frame was written.
    expect(stamps[0]).toBeGreaterThanOrEqual(70); // 50 + 30, a few ms of timer slack
    expect(stamps[2]).toBeGreaterThanOrEqual(130); // 50 + 3 x 30
  });
});

describe('fake OpenAI through @ai-sdk/openai-compatible', () => {
  it('streams; usage only when the provider is created with includeUsage', async () => {
    const f = await fake({ script: always({ text: 'Compatible answer.', usage: { input: 5, output: 4 } }) });

    const plain = createOpenAICompatible({ baseURL: f.url, name: 'fake', apiKey: KEY });
    const noUsage = streamText({ model: plain('some-model'), prompt: 'hi' });
    const deltas: string[] = [];
    for await (const d of noUsage.textStream) deltas.push(d);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Compatible answer.');
    // Without includeUsage the SDK does not ask (no stream_options), the fake sends no usage
    // chunk (as OpenAI), and the SDK reports undefined token counts, not an error.
    expect(f.requests[0]!.body.stream_options).toBeUndefined();
    expect((await noUsage.usage).inputTokens).toBeUndefined();

    const withUsage = createOpenAICompatible({ baseURL: f.url, name: 'fake', apiKey: KEY, includeUsage: true });
    const counted = streamText({ model: withUsage('some-model'), prompt: 'hi' });
    expect(await counted.text).toBe('Compatible answer.');
    expect(await counted.usage).toMatchObject({ inputTokens: 5, outputTokens: 4 });
    expect(f.requests[1]!.body.stream_options).toEqual({ include_usage: true });
  });

  it('round-trips a tool call and maps errors', async () => {
    const f = await fake({
      script: ({ callIndex }) =>
        callIndex === 0
          ? { toolCalls: [{ name: 'weather', arguments: '{"city":"Rome"}' }] }
          : callIndex === 1
            ? { text: 'Warm.' }
            : { status: 503, errorMessage: 'Overloaded' },
    });
    const provider = createOpenAICompatible({ baseURL: f.url, name: 'fake', apiKey: KEY });
    const calls: unknown[] = [];
    const result = streamText({
      model: provider('m'),
      prompt: 'Rome?',
      tools: weatherTools(calls),
      stopWhen: stepCountIs(3),
    });
    expect(await result.text).toBe('Warm.');
    expect(calls).toEqual([{ city: 'Rome' }]);
    expect(toolResults(f.requests[1]!.body)).toHaveLength(1);

    const error = await generateText({ model: provider('m'), prompt: 'hi', maxRetries: 0 }).catch((e) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error.statusCode).toBe(503);
    expect(error.message).toBe('Overloaded');
  });
});

describe('fake OpenAI HTTP surface', () => {
  it('lists models, checks the key there too, and 404s unknown URLs in OpenAI shape', async () => {
    const f = await fake({ script: always({ text: 'x' }), models: ['gpt-a', 'gpt-b'] });
    const auth = { authorization: `Bearer ${KEY}` };
    const list = await fetch(`${f.url}/models`, { headers: auth });
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({
      object: 'list',
      data: [{ id: 'gpt-a', object: 'model' }, { id: 'gpt-b' }],
    });
    expect((await fetch(`${f.url}/models/gpt-b`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${f.url}/models/nope`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${f.url}/models`)).status).toBe(401);
    const unknown = await fetch(`${f.url}/responses`, { method: 'POST', headers: auth, body: '{}' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { message: 'Invalid URL (POST /v1/responses)' } });
    expect(f.requests).toHaveLength(0); // only completion requests are recorded
  });

  it('close() returns promptly with a request still hanging', async () => {
    const f = await startFakeOpenAI({ script: always({ hang: true }) });
    const pending = fetch(`${f.url}/chat/completions`, { method: 'POST', body: '{"model":"m","messages":[]}' }).catch(
      (e) => e,
    );
    await expect.poll(() => f.requests.length).toBe(1);
    const started = Date.now();
    await f.close();
    expect(Date.now() - started).toBeLessThan(budget(500));
    expect(await pending).toBeInstanceOf(TypeError); // fetch failed: the socket was destroyed
  });
});
