// The contract shared by the fake model providers (fake-openai.ts, fake-anthropic.ts):
// a test gives a FakeScript that decides, request by request, what the "model" answers;
// the fake speaks the provider's real wire protocol (JSON or SSE) around that answer.
//
//   const fake = await startFakeOpenAI({ apiKey: 'k', script: sequence(
//     { text: 'Checking.', toolCalls: [{ name: 'weather', arguments: '{"city":"Paris"}' }] },
//     { text: 'It is 21 degrees.' },
//   ) });
//   const model = createOpenAI({ baseURL: fake.url, apiKey: 'k' }).chat('gpt-4o-mini');
//   // or createAnthropic({ baseURL: fake.url, apiKey: 'k' })('claude-sonnet-4-5') with startFakeAnthropic
//   ... fake.requests[1].body ...; await fake.close();
//
// `requests` lists every POST to the completion endpoint (/v1/chat/completions or
// /v1/messages) in arrival order, those refused for their key included (the script is not asked
// about those); `callIndex` is the position in that list. GET /v1/models is not recorded.
// Delays, chunk pacing and cuts apply to what the script returned; `cutAfterChunks` on a
// non-streaming request sends half of the JSON body and drops the connection.

export interface FakeToolCall {
  name: string;
  arguments: string /* raw JSON text; may be deliberately malformed */;
}

export interface FakeReply {
  text?: string; // assistant text, streamed in several chunks (split into ~4-char pieces)
  reasoning?: string; // thinking before the text: Anthropic `thinking` blocks, OpenAI-compatible `reasoning_content`
  toolCalls?: FakeToolCall[]; // tool calls after the text
  status?: number; // answer with this HTTP status and a provider-shaped error body instead
  errorMessage?: string;
  retryAfterSeconds?: number; // sets Retry-After (and retry-after-ms) on error replies
  delayMs?: number; // wait before sending headers
  chunkDelayMs?: number; // wait between stream chunks
  cutAfterChunks?: number; // destroy the socket after N SSE chunks (a stream cut mid-answer)
  hang?: boolean; // accept the request and never answer (for timeouts)
  usage?: { input: number; output: number };
}

export interface FakeRequest {
  body: any;
  headers: Record<string, string | undefined>;
  callIndex: number;
  path: string;
}

export type FakeScript = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeServer {
  url: string; // base URL to give the SDK, e.g. http://127.0.0.1:PORT/v1
  requests: FakeRequest[];
  close(): Promise<void>; // closes, destroying open sockets (hung requests included)
}

export interface FakeServerOptions {
  script: FakeScript;
  /** When set, any other key gets 401 (OpenAI: `Authorization: Bearer`, Anthropic: `x-api-key`). */
  apiKey?: string;
  /**
   * A careless provider: the 401 for a wrong key quotes the whole key it was sent (as some real
   * providers do), instead of a masked one. Only with `apiKey`.
   */
  echoKeyInErrors?: boolean;
  /** Model ids listed by `GET /v1/models` (default `['fake-model']`). */
  models?: string[];
}

// ---------------------------------------------------------------------------------------------
// Helpers for writing scripts. They understand both request bodies: OpenAI Chat Completions
// (`messages[].content` string or `[{type:'text', text}]`, tool results as `role:'tool'`) and
// Anthropic Messages (`system` top-level, tool results as `tool_result` blocks in a user turn).

/** Answers call i with replies[i]; the last reply repeats for every later call. */
export function sequence(...replies: FakeReply[]): FakeScript {
  if (replies.length === 0) throw new Error('sequence() needs at least one reply');
  return ({ callIndex }) => replies[Math.min(callIndex, replies.length - 1)]!;
}

/** Always the same reply. */
export function always(reply: FakeReply): FakeScript {
  return () => reply;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((p: any) => p && p.type === 'text' && typeof p.text === 'string')
    .map((p: any) => p.text as string)
    .join('');
}

/**
 * Text of the last user turn that has text (both protocols). Anthropic user turns that only
 * carry `tool_result` blocks are skipped, so this is what the human last said. '' if none.
 */
export function lastUserText(body: any): string {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'user') continue;
    const text = textOf(m.content);
    if (text !== '') return text;
  }
  return '';
}

/** The system prompt (both protocols): Anthropic's top-level `system`, or OpenAI's system/developer messages. */
export function systemText(body: any): string {
  if (body?.system != null) return textOf(body.system);
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  return messages
    .filter((m) => m?.role === 'system' || m?.role === 'developer')
    .map((m) => textOf(m.content))
    .join('\n');
}

export interface SeenToolResult {
  toolCallId: string;
  /** The result as the SDK serialised it: a string (JSON text for JSON results). */
  content: string;
  isError: boolean;
}

/** Tool results sent back to the model in this request, in order (both protocols). */
export function toolResults(body: any): SeenToolResult[] {
  const out: SeenToolResult[] = [];
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  for (const m of messages) {
    if (m?.role === 'tool') {
      // OpenAI: { role: 'tool', tool_call_id, content }
      out.push({
        toolCallId: String(m.tool_call_id),
        content: typeof m.content === 'string' ? m.content : textOf(m.content),
        isError: false,
      });
    } else if (m?.role === 'user' && Array.isArray(m.content)) {
      // Anthropic: { role: 'user', content: [{ type: 'tool_result', tool_use_id, content, is_error? }] }
      for (const block of m.content) {
        if (block?.type !== 'tool_result') continue;
        out.push({
          toolCallId: String(block.tool_use_id),
          content: typeof block.content === 'string' ? block.content : textOf(block.content),
          isError: block.is_error === true,
        });
      }
    }
  }
  return out;
}

/** Names of the tools offered in this request (both protocols). */
export function offeredToolNames(body: any): string[] {
  const tools: any[] = Array.isArray(body?.tools) ? body.tools : [];
  return tools.map((t) => (t?.type === 'function' ? t.function?.name : t?.name)).filter((n) => typeof n === 'string');
}

/** Splits text into pieces of about `size` characters (by code point, so emoji stay whole). */
export function splitPieces(text: string, size = 4): string[] {
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

/**
 * A hold on a fake's answers, for seeing a run mid-way whatever the machine's speed: the first
 * `letThrough` calls that reach `pass()` go on at once, later ones wait there until the test lets
 * some more through (`allow`) or all (`release`). A script awaits it (`await hold.pass(); return
 * reply;`); a client that gave up meanwhile is simply not answered.
 */
export interface Hold {
  /** Calls that reached the hold so far. */
  readonly arrived: number;
  /** Calls waiting at it now. */
  readonly waiting: number;
  pass(): Promise<void>;
  /** Lets `n` more calls through: waiting ones first, in arrival order. */
  allow(n: number): void;
  /** Lets every call through, now and later. */
  release(): void;
}

export function holdAfter(letThrough: number): Hold {
  let allowed = letThrough;
  let arrived = 0;
  let released = false;
  const queue: (() => void)[] = [];
  const wake = () => {
    while (queue.length > 0 && (released || arrived - queue.length < allowed)) queue.shift()!();
  };
  return {
    get arrived() {
      return arrived;
    },
    get waiting() {
      return queue.length;
    },
    async pass() {
      arrived++;
      if (released || arrived <= allowed) return;
      await new Promise<void>((resolve) => queue.push(resolve));
    },
    allow(n) {
      allowed += n;
      wake();
    },
    release() {
      released = true;
      wake();
    },
  };
}
