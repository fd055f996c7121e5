import type { TranscriptEvent } from '../../schema/transcript.ts';
import type { AnswerCall } from './answer-call.ts';
import { redFlagsHit } from './red-flags.ts';

/** A tool part of a model answer, as the AI SDK and streamed-steps.ts both give it. */
export interface ToolPart {
  type: string;
  toolCallId: string;
  toolName: string;
  input?: unknown;
  output?: unknown;
  error?: unknown;
}

/**
 * The transcript events of a tool part, the same whether it was streamed or returned whole: a
 * call and the red flags its arguments raise, its simulated result, or the model's invalid call.
 */
export function* toolEvents(
  part: ToolPart,
  { scenario, results, emit, turn }: Pick<AnswerCall, 'scenario' | 'results' | 'emit' | 'turn'>,
): Generator<TranscriptEvent> {
  if (part.type === 'tool-call') {
    yield emit({ type: 'tool-call', turn, callId: part.toolCallId, tool: part.toolName, args: part.input });
    for (const reason of redFlagsHit(scenario, part.toolName, part.input)) {
      yield emit({ type: 'red-flag', turn, callId: part.toolCallId, tool: part.toolName, reason });
    }
  } else if (part.type === 'tool-result') {
    const sim = results.get(part.toolCallId);
    yield emit({
      type: 'tool-result',
      turn,
      callId: part.toolCallId,
      tool: part.toolName,
      result: part.output,
      mode: sim?.mode ?? 'fixed',
      isError: sim?.isError ?? false,
      ...(sim?.state ? { state: sim.state } : {}),
    });
  } else if (part.type === 'tool-error') {
    yield* invalidCallEvents(part, emit, turn);
  }
}

/** A call the model made wrong (arguments not matching the tool's schema): an error result, and why. */
function* invalidCallEvents(part: ToolPart, emit: AnswerCall['emit'], turn: number): Generator<TranscriptEvent> {
  const message = part.error instanceof Error ? part.error.message : String(part.error);
  yield emit({
    type: 'tool-result',
    turn,
    callId: part.toolCallId,
    tool: part.toolName,
    result: { error: message },
    mode: 'error',
    isError: true,
  });
  yield emit({
    type: 'error',
    turn,
    code: 'bad_tool_call',
    message: `the model's call to ${part.toolName} was invalid: ${message}`,
    fatal: false,
  });
}
