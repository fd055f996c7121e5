// A fake OpenAI Chat Completions server speaking the real wire protocol, for tests.
//
//   POST /v1/chat/completions   JSON (`chat.completion`) or, with `stream: true`, SSE
//                               (`data: {chat.completion.chunk}` lines, then `data: [DONE]`)
//   GET  /v1/models[/:id]       the model list
//
// Works with `createOpenAI({ baseURL: fake.url, apiKey }).chat(model)` and
// `createOpenAICompatible({ baseURL: fake.url, name, apiKey })`. (Plain `openai(model)` calls the
// Responses API, which this fake does not speak: it answers 404 there, as OpenAI does for an
// unknown URL.)
//
// Streaming follows what OpenAI sends: a first chunk with `delta.role`, then content deltas,
// then `tool_calls` deltas (first one per call with index, id, type, function.name and empty
// arguments; then argument fragments with only the index), then a chunk with `finish_reason`
// ('stop' or 'tool_calls') and an empty delta; then, only when the request had
// `stream_options.include_usage`, a chunk with `choices: []` and `usage` (every earlier chunk
// then carries `usage: null`); then `data: [DONE]`.
//
// cutAfterChunks counts SSE frames (the [DONE] line included). On a non-streaming request it
// cuts the JSON body in half instead.

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  beforeReply,
  parseJson,
  readBody,
  recordRequest,
  retryHeaders,
  roughTokens,
  sendJson,
  sendTruncatedJson,
  SseWriter,
  startHttp,
} from './fake-http.ts';
import {
  splitPieces,
  type FakeReply,
  type FakeRequest,
  type FakeServer,
  type FakeServerOptions,
} from './fake-script.ts';

export type { FakeServer, FakeServerOptions } from './fake-script.ts';

/** OpenAI's error `type` and `code` for a status, as the real API sends them. */
function errorKind(status: number): { type: string; code: string | null; message: string } {
  if (status === 400) return { type: 'invalid_request_error', code: null, message: 'Bad request.' };
  if (status === 401)
    return { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' };
  if (status === 403)
    return { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Forbidden.' };
  if (status === 404)
    return { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist.' };
  if (status === 429)
    return {
      type: 'requests',
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached for requests per min (RPM). Please try again later.',
    };
  if (status >= 500)
    return { type: 'server_error', code: null, message: 'The server had an error while processing your request.' };
  return { type: 'invalid_request_error', code: null, message: `HTTP ${status}` };
}

export function openaiErrorBody(status: number, message?: string, code?: string | null) {
  const kind = errorKind(status);
  return {
    error: {
      message: message ?? kind.message,
      type: kind.type,
      param: null,
      code: code === undefined ? kind.code : code,
    },
  };
}

function sendError(
  res: ServerResponse,
  status: number,
  message?: string,
  headers: Record<string, string> = {},
  code?: string | null,
) {
  sendJson(res, status, openaiErrorBody(status, message, code), { 'x-request-id': 'req_fake', ...headers });
}

function bearerKey(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth !== 'string') return undefined;
  const m = /^Bearer\s+(.*)$/i.exec(auth);
  return m ? m[1] : undefined;
}

export async function startFakeOpenAI(opts: FakeServerOptions): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const models = opts.models ?? ['fake-model'];
  const created = Math.floor(Date.now() / 1000);

  const authorised = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (opts.apiKey == null) return true;
    const key = bearerKey(req);
    if (key === opts.apiKey) return true;
    if (key == null || key === '')
      sendError(
        res,
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        {},
        null,
      );
    else
      sendError(
        res,
        401,
        `Incorrect API key provided: ${opts.echoKeyInErrors ? key : `${key.slice(0, 3)}***${key.slice(-4)}`}.`,
      );
    return false;
  };

  const http = await startHttp(
    async (req, res, path) => {
      if (req.method === 'GET' && (path === '/v1/models' || path.startsWith('/v1/models/'))) {
        if (!authorised(req, res)) return;
        const entry = (id: string) => ({ id, object: 'model', created, owned_by: 'fake' });
        if (path === '/v1/models') return sendJson(res, 200, { object: 'list', data: models.map(entry) });
        const id = decodeURIComponent(path.slice('/v1/models/'.length));
        if (!models.includes(id)) return sendError(res, 404, `The model '${id}' does not exist`);
        return sendJson(res, 200, entry(id));
      }
      if (path !== '/v1/chat/completions' || req.method !== 'POST') {
        await readBody(req);
        return sendError(res, 404, `Invalid URL (${req.method} ${path})`, {}, null);
      }

      const parsed = parseJson(await readBody(req));
      const request = recordRequest(requests, req, path, parsed.ok ? parsed.value : parsed.raw);
      if (!authorised(req, res)) return;
      if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) {
        return sendError(res, 400, 'We could not parse the JSON body of your request.');
      }
      const body = parsed.value;

      const reply = await opts.script(request);
      const go = await beforeReply(res, reply);
      if (go !== 'go') return; // hang: never answer; gone: the client left during the delay

      if (reply.status != null && reply.status >= 400) {
        return sendError(res, reply.status, reply.errorMessage, retryHeaders(reply));
      }
      const completion = buildCompletion(body, reply, request.callIndex);
      if (body.stream === true) {
        await streamCompletion(res, body, reply, completion);
      } else if (reply.cutAfterChunks != null) {
        await sendTruncatedJson(res, completion.json, { 'x-request-id': `req_fake_${request.callIndex}` });
      } else {
        sendJson(res, 200, completion.json, { 'x-request-id': `req_fake_${request.callIndex}` });
      }
    },
    (res, err) =>
      sendError(res, 500, `fake-openai: the script failed: ${err instanceof Error ? err.message : String(err)}`),
  );

  return { url: `${http.origin}/v1`, requests, close: () => http.close() };
}

interface Completion {
  id: string;
  created: number;
  model: string;
  text: string | undefined;
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason: 'stop' | 'tool_calls';
  usage: Record<string, unknown>;
  json: Record<string, unknown>;
}

function buildCompletion(body: any, reply: FakeReply, callIndex: number): Completion {
  const id = `chatcmpl-fake${callIndex}`;
  const created = Math.floor(Date.now() / 1000);
  const model = typeof body.model === 'string' ? body.model : 'fake-model';
  const toolCalls = (reply.toolCalls ?? []).map((c, i) => ({
    id: `call_fake${callIndex}_${i}`,
    name: c.name,
    arguments: c.arguments,
  }));
  const finishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
  const input = reply.usage?.input ?? roughTokens(JSON.stringify(body.messages ?? ''));
  const output =
    reply.usage?.output ?? roughTokens((reply.text ?? '') + toolCalls.map((c) => c.name + c.arguments).join(''));
  const usage = {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: reply.text ?? (toolCalls.length > 0 ? null : ''),
    refusal: null,
    annotations: [],
  };
  // OpenAI-compatible servers (vLLM, DeepSeek, Ollama) put a reasoning model's thinking here.
  if (reply.reasoning) message.reasoning_content = reply.reasoning;
  if (toolCalls.length > 0) {
    message.tool_calls = toolCalls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.arguments },
    }));
  }
  const json = {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage,
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
  return { id, created, model, text: reply.text, toolCalls, finishReason, usage, json };
}

async function streamCompletion(res: ServerResponse, body: any, reply: FakeReply, c: Completion): Promise<void> {
  const includeUsage = body.stream_options?.include_usage === true;
  const sse = new SseWriter(res, reply, { 'x-request-id': `req_${c.id}` });
  const chunk = (choices: unknown[], usage?: unknown) => {
    const data: Record<string, unknown> = {
      id: c.id,
      object: 'chat.completion.chunk',
      created: c.created,
      model: c.model,
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
      choices,
    };
    if (includeUsage) data.usage = usage ?? null;
    return `data: ${JSON.stringify(data)}\n\n`;
  };
  const delta = (d: Record<string, unknown>, finishReason: string | null = null) =>
    chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finishReason }]);

  const frames: string[] = [];
  frames.push(delta({ role: 'assistant', content: '', refusal: null }));
  for (const piece of splitPieces(reply.reasoning ?? '')) frames.push(delta({ reasoning_content: piece }));
  for (const piece of splitPieces(c.text ?? '')) frames.push(delta({ content: piece }));
  c.toolCalls.forEach((call, index) => {
    frames.push(
      delta({
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
      }),
    );
    for (const piece of splitPieces(call.arguments, 8)) {
      frames.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  frames.push(delta({}, c.finishReason));
  if (includeUsage) frames.push(chunk([], c.usage));
  frames.push('data: [DONE]\n\n');

  for (const frame of frames) {
    if (!(await sse.send(frame))) return;
  }
  sse.end();
}
