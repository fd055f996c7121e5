// A fake Anthropic Messages API server speaking the real wire protocol, for tests.
//
//   POST /v1/messages   JSON (`type: 'message'`) or, with `stream: true`, SSE with named events
//   GET  /v1/models     the model list (Anthropic's paged shape)
//
// Works with `createAnthropic({ baseURL: fake.url, apiKey })`. Checks `x-api-key` (when
// `apiKey` is set) and, like the real API, requires the `anthropic-version` header.
//
// The stream is the documented event sequence:
//   message_start (usage.input_tokens), ping,
//   for the text:       content_block_start {type:'text'}, content_block_delta text_delta..., content_block_stop
//   for each tool call: content_block_start {type:'tool_use', id, name, input:{}},
//                       content_block_delta input_json_delta {partial_json}..., content_block_stop
//   message_delta {stop_reason: 'end_turn' | 'tool_use', usage.output_tokens}, message_stop.
//
// cutAfterChunks counts SSE events (ping included). On a non-streaming request it cuts the
// JSON body in half instead.
//
// Malformed tool arguments: in a stream they are sent as they are (partial_json fragments are
// raw text, so the client gets exactly the malformed JSON). The non-streaming body cannot carry
// unparsable JSON (`input` is an object there), so the fake sends the raw text as a JSON string
// `input: "<raw>"`, which no object schema accepts.

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

/** Anthropic's error `type` for a status. */
function errorType(status: number): { type: string; message: string } {
  if (status === 400) return { type: 'invalid_request_error', message: 'Bad request.' };
  if (status === 401) return { type: 'authentication_error', message: 'invalid x-api-key' };
  if (status === 403)
    return {
      type: 'permission_error',
      message: 'Your API key does not have permission to use the specified resource.',
    };
  if (status === 404) return { type: 'not_found_error', message: 'Not found.' };
  if (status === 413)
    return { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' };
  if (status === 429)
    return { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit.' };
  if (status === 529) return { type: 'overloaded_error', message: 'Overloaded' };
  if (status >= 500) return { type: 'api_error', message: 'Internal server error' };
  return { type: 'invalid_request_error', message: `HTTP ${status}` };
}

export function anthropicErrorBody(status: number, message?: string) {
  const kind = errorType(status);
  return { type: 'error', error: { type: kind.type, message: message ?? kind.message }, request_id: 'req_fake' };
}

function sendError(res: ServerResponse, status: number, message?: string, headers: Record<string, string> = {}) {
  sendJson(res, status, anthropicErrorBody(status, message), { 'request-id': 'req_fake', ...headers });
}

const sseFrame = (data: { type: string } & Record<string, unknown>) =>
  `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

export async function startFakeAnthropic(opts: FakeServerOptions): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const models = opts.models ?? ['fake-model'];

  const authorised = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (opts.apiKey != null) {
      const key = req.headers['x-api-key'];
      if (key == null || key === '') {
        sendError(res, 401, 'x-api-key header is required');
        return false;
      }
      if (key !== opts.apiKey) {
        sendError(res, 401, opts.echoKeyInErrors ? `invalid x-api-key: ${key}` : 'invalid x-api-key');
        return false;
      }
    }
    if (req.headers['anthropic-version'] == null) {
      sendError(res, 400, 'anthropic-version: header is required');
      return false;
    }
    return true;
  };

  const http = await startHttp(
    async (req, res, path) => {
      if (req.method === 'GET' && (path === '/v1/models' || path.startsWith('/v1/models/'))) {
        if (!authorised(req, res)) return;
        const entry = (id: string) => ({
          type: 'model',
          id,
          display_name: id,
          created_at: '2025-01-01T00:00:00Z',
        });
        if (path === '/v1/models') {
          return sendJson(res, 200, {
            data: models.map(entry),
            has_more: false,
            first_id: models[0] ?? null,
            last_id: models.at(-1) ?? null,
          });
        }
        const id = decodeURIComponent(path.slice('/v1/models/'.length));
        if (!models.includes(id)) return sendError(res, 404, `model: ${id}`);
        return sendJson(res, 200, entry(id));
      }
      if (path !== '/v1/messages' || req.method !== 'POST') {
        await readBody(req);
        return sendError(res, 404, 'Not found');
      }

      const parsed = parseJson(await readBody(req));
      const request = recordRequest(requests, req, path, parsed.ok ? parsed.value : parsed.raw);
      if (!authorised(req, res)) return;
      if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) {
        return sendError(res, 400, 'There was an issue with the request body: invalid JSON.');
      }
      const body = parsed.value;

      const reply = await opts.script(request);
      const go = await beforeReply(res, reply);
      if (go !== 'go') return;

      if (reply.status != null && reply.status >= 400) {
        return sendError(res, reply.status, reply.errorMessage, retryHeaders(reply));
      }
      const message = buildMessage(body, reply, request.callIndex);
      if (body.stream === true) await streamMessage(res, reply, message);
      else if (reply.cutAfterChunks != null)
        await sendTruncatedJson(res, message.json, { 'request-id': `req_fake_${request.callIndex}` });
      else sendJson(res, 200, message.json, { 'request-id': `req_fake_${request.callIndex}` });
    },
    (res, err) =>
      sendError(res, 500, `fake-anthropic: the script failed: ${err instanceof Error ? err.message : String(err)}`),
  );

  return { url: `${http.origin}/v1`, requests, close: () => http.close() };
}

/** Anthropic signs each thinking block; clients send the block back with its signature on later turns. */
const THINKING_SIGNATURE = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds';

interface Message {
  id: string;
  model: string;
  reasoning: string;
  text: string;
  toolCalls: { id: string; name: string; arguments: string }[];
  stopReason: 'end_turn' | 'tool_use';
  input: number;
  output: number;
  json: Record<string, unknown>;
}

function buildMessage(body: any, reply: FakeReply, callIndex: number): Message {
  const id = `msg_fake${callIndex}`;
  const model = typeof body.model === 'string' ? body.model : 'fake-model';
  const text = reply.text ?? '';
  const toolCalls = (reply.toolCalls ?? []).map((c, i) => ({
    id: `toolu_fake${callIndex}_${i}`,
    name: c.name,
    arguments: c.arguments,
  }));
  const stopReason = toolCalls.length > 0 ? 'tool_use' : 'end_turn';
  const input = reply.usage?.input ?? roughTokens(JSON.stringify([body.system ?? '', body.messages ?? '']));
  const output = reply.usage?.output ?? roughTokens(text + toolCalls.map((c) => c.name + c.arguments).join(''));
  const reasoning = reply.reasoning ?? '';
  const content: unknown[] = [];
  if (reasoning !== '') content.push({ type: 'thinking', thinking: reasoning, signature: THINKING_SIGNATURE });
  if (text !== '') content.push({ type: 'text', text });
  for (const c of toolCalls) {
    const p = parseJson(c.arguments === '' ? '{}' : c.arguments);
    content.push({ type: 'tool_use', id: c.id, name: c.name, input: p.ok ? p.value : c.arguments });
  }
  const json = {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: input,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: output,
      service_tier: 'standard',
    },
  };
  return { id, model, reasoning, text, toolCalls, stopReason, input, output, json };
}

async function streamMessage(res: ServerResponse, reply: FakeReply, m: Message): Promise<void> {
  const sse = new SseWriter(res, reply, { 'request-id': `req_${m.id}` });
  const frames: string[] = [];
  frames.push(
    sseFrame({
      type: 'message_start',
      message: {
        id: m.id,
        type: 'message',
        role: 'assistant',
        model: m.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: m.input,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 1,
          service_tier: 'standard',
        },
      },
    }),
  );
  frames.push(sseFrame({ type: 'ping' }));
  let index = 0;
  if (m.reasoning !== '') {
    frames.push(
      sseFrame({
        type: 'content_block_start',
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      }),
    );
    for (const piece of splitPieces(m.reasoning)) {
      frames.push(sseFrame({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: piece } }));
    }
    frames.push(
      sseFrame({
        type: 'content_block_delta',
        index,
        delta: { type: 'signature_delta', signature: THINKING_SIGNATURE },
      }),
    );
    frames.push(sseFrame({ type: 'content_block_stop', index }));
    index++;
  }
  if (m.text !== '') {
    frames.push(sseFrame({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
    for (const piece of splitPieces(m.text)) {
      frames.push(sseFrame({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }));
    }
    frames.push(sseFrame({ type: 'content_block_stop', index }));
    index++;
  }
  for (const call of m.toolCalls) {
    frames.push(
      sseFrame({
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
      }),
    );
    frames.push(
      sseFrame({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: '' } }),
    );
    for (const piece of splitPieces(call.arguments, 8)) {
      frames.push(
        sseFrame({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }),
      );
    }
    frames.push(sseFrame({ type: 'content_block_stop', index }));
    index++;
  }
  frames.push(
    sseFrame({
      type: 'message_delta',
      delta: { stop_reason: m.stopReason, stop_sequence: null },
      usage: { output_tokens: m.output },
    }),
  );
  frames.push(sseFrame({ type: 'message_stop' }));

  for (const frame of frames) {
    if (!(await sse.send(frame))) return;
  }
  sse.end();
}
