import { z } from 'zod';
import { ModelParamsSchema } from './models.ts';

// A dry-run is a stream of typed events; the live panel and stored transcripts are both built
// from the same events, so what an author watched is exactly what is kept.

const Turn = z.number().int().min(0).describe('0-based index of the user turn the event belongs to.');

export const TranscriptEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    dryRunId: z.string(),
    scenarioId: z.string(),
    contentHash: z.string(),
    model: z.string(),
    params: ModelParamsSchema,
    at: z.string(),
  }),
  z.object({ type: z.literal('system'), content: z.string() }),
  /**
   * A context document the model has before the first user turn outside the system prompt:
   * attached to the first user message, or the result of a tool call it already made.
   */
  z.object({
    type: z.literal('document'),
    placement: z.enum(['user-attachment', 'tool-result']),
    title: z.string(),
    content: z.string(),
    tool: z.string().nullable(),
    args: z.unknown(),
    callId: z.string().nullable(),
  }),
  z.object({
    type: z.literal('turn-start'),
    turn: Turn,
    /** scripted: from the scenario; generated: written by the simulated user (adaptive escalation). */
    source: z.enum(['scripted', 'generated']),
    /** Index in the scenario's `turns` (scripted turns only). */
    scriptIndex: z.number().int().nullable(),
    content: z.string(),
    tactic: z.string().nullable(),
    condition: z.string().nullable(),
    conditionReason: z.string().nullable(),
  }),
  z.object({
    type: z.literal('turn-skipped'),
    scriptIndex: z.number().int(),
    content: z.string(),
    tactic: z.string().nullable(),
    condition: z.string(),
    reason: z.string(),
  }),
  z.object({ type: z.literal('text-delta'), turn: Turn, text: z.string() }),
  /** Play-the-model mode: the author is to type the model's reply to this turn. */
  z.object({ type: z.literal('awaiting-reply'), turn: Turn }),
  z.object({ type: z.literal('assistant-message'), turn: Turn, text: z.string() }),
  /** The model's reasoning or thinking before (or between) its replies, where the provider returns it. */
  z.object({ type: z.literal('reasoning'), turn: Turn, text: z.string() }),
  z.object({ type: z.literal('tool-call'), turn: Turn, callId: z.string(), tool: z.string(), args: z.unknown() }),
  z.object({
    type: z.literal('tool-result'),
    turn: Turn,
    callId: z.string(),
    tool: z.string(),
    result: z.unknown(),
    /** How the result was made: a fixed result, a matched case, the default, the simulator model, or an error. */
    mode: z.enum(['fixed', 'case', 'default', 'simulator', 'error']),
    isError: z.boolean(),
    /** The scenario's state after this call (scenarios that declare `state` only). */
    state: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({ type: z.literal('red-flag'), turn: Turn, callId: z.string(), tool: z.string(), reason: z.string() }),
  z.object({
    type: z.literal('usage'),
    turn: Turn,
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    latencyMs: z.number(),
    ttftMs: z.number().nullable(),
  }),
  z.object({
    type: z.literal('error'),
    turn: Turn.nullable(),
    code: z.enum([
      'auth',
      'rate_limited',
      'provider_error',
      'timeout',
      'stream_cut',
      'unreachable',
      'bad_tool_call',
      'simulation_failed',
      'referee_failed',
      'config',
      'aborted',
      'internal',
    ]),
    message: z.string(),
    /** The error ended the run (versus: recorded, and the run went on). */
    fatal: z.boolean(),
  }),
  z.object({
    type: z.literal('done'),
    status: z.enum(['completed', 'stopped', 'failed']),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costUsd: z.number().nullable(),
    latencyMs: z.number(),
  }),
]);
export type TranscriptEvent = z.infer<typeof TranscriptEventSchema>;
export type TranscriptEventType = TranscriptEvent['type'];
