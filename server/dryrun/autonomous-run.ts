import type { ModelMessage, UserContent } from 'ai';
import type { Scenario, Turn } from '../../schema/scenario.ts';
import type { EndCondition } from '../../schema/scenario-turns.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { testWithinTime } from '../regex/bounded-match.ts';

// Autonomous mode: an agent with no human user. The first automated turn (the task) starts it;
// then the model works one step at a time (a step: one model call, its text and tool calls, the
// simulated results), scripted events arrive after a given step or tool call, and the run ends at
// the first end condition met, or at the step limit.

export interface AutonomousContext {
  scenario: Scenario & { autonomous: NonNullable<Scenario['autonomous']> };
  messages: ModelMessage[];
  events: readonly TranscriptEvent[];
  emit: (e: TranscriptEvent) => TranscriptEvent;
  /** The first input as the model gets it (with any attachments). */
  firstContent: (content: string) => UserContent;
  /** One model step answering input turn `turn`; true when it ended the run with a fatal error. */
  step: (turn: number) => AsyncGenerator<TranscriptEvent, boolean>;
}

type ToolCallEvent = Extract<TranscriptEvent, { type: 'tool-call' }>;

interface PendingEvent {
  turn: Turn;
  scriptIndex: number;
}

/** Runs the agent; returns whether it failed (a fatal error in a step). */
export async function* runAutonomous(ctx: AutonomousContext): AsyncGenerator<TranscriptEvent, 'completed' | 'failed'> {
  const { scenario, messages, events, emit } = ctx;
  const { max_steps: maxSteps, end_when: endWhen } = scenario.autonomous;
  const [task, ...rest] = scenario.turns;
  let pending: PendingEvent[] = rest.map((turn, i) => ({ turn, scriptIndex: i + 1 }));
  let inputTurn = 0;

  const deliver = (p: PendingEvent, trigger: string) => {
    inputTurn++;
    messages.push({ role: 'user', content: p.turn.content });
    return emit(automatedTurn(inputTurn, p.scriptIndex, p.turn.content, trigger));
  };
  yield emit(automatedTurn(0, 0, task!.content, 'the task the agent starts from'));
  messages.push({ role: 'user', content: ctx.firstContent(task!.content) });

  const end = (reason: 'end-condition' | 'step-limit' | 'model-stopped', detail: string, steps: number) =>
    emit({ type: 'autonomous-end', reason, detail, steps });

  for (let step = 1; ; step++) {
    const from = events.length;
    if (yield* ctx.step(inputTurn)) return 'failed';
    const made = events.slice(from);
    const calls = made.filter((e): e is ToolCallEvent => e.type === 'tool-call');
    const text = made.flatMap((e) => (e.type === 'assistant-message' ? [e.text] : [])).join('\n');

    const met = endWhen.map((c) => metBy(c, calls, text)).find((d) => d !== null);
    if (met) {
      yield end('end-condition', met, step);
      return 'completed';
    }
    if (step >= maxSteps) {
      yield end('step-limit', `the step limit (max_steps: ${maxSteps}) was reached`, step);
      return 'completed';
    }
    const due = pending.filter((p) => p.turn.after_step === step || calls.some((c) => callMatches(p.turn, c)));
    if (due.length === 0 && calls.length === 0) {
      // The model stopped. It ends the run when the author said so; otherwise time passes and the
      // next scripted event arrives early (an agent waiting for mail gets its mail).
      if (endWhen.includes('model_stops')) {
        yield end('end-condition', 'the model stopped (answered without calling a tool): model_stops', step);
        return 'completed';
      }
      const next = pending
        .filter((p) => p.turn.after_step !== undefined)
        .sort((a, b) => a.turn.after_step! - b.turn.after_step!)[0];
      if (!next) {
        yield end(
          'model-stopped',
          'the model stopped (answered without calling a tool) and no event was left to send',
          step,
        );
        return 'completed';
      }
      pending = pending.filter((p) => p !== next);
      yield deliver(next, `${triggerText(next.turn)} (sent after step ${step} instead: the model had stopped)`);
      continue;
    }
    for (const p of due) yield deliver(p, triggerText(p.turn));
    pending = pending.filter((p) => !due.includes(p));
  }
}

function automatedTurn(turn: number, scriptIndex: number, content: string, trigger: string): TranscriptEvent {
  return {
    type: 'turn-start',
    turn,
    source: 'scripted',
    scriptIndex,
    content,
    tactic: null,
    condition: null,
    conditionReason: null,
    speaker: 'automated',
    trigger,
  };
}

function triggerText(turn: Turn): string {
  if (turn.after_step !== undefined) return `after step ${turn.after_step}`;
  const call = turn.after_tool_call!;
  return `after the call to ${call.tool}${call.arguments_match ? ` with arguments matching /${call.arguments_match}/i` : ''}`;
}

function callMatches(turn: Turn, call: ToolCallEvent): boolean {
  const trigger = turn.after_tool_call;
  return trigger !== undefined && toolCallMatches(trigger.tool, trigger.arguments_match, call);
}

function toolCallMatches(tool: string, pattern: string | undefined, call: ToolCallEvent): boolean {
  return call.tool === tool && (pattern === undefined || matches(pattern, JSON.stringify(call.args ?? {})));
}

/** What met the end condition, in words, or null. */
function metBy(condition: EndCondition, calls: readonly ToolCallEvent[], text: string): string | null {
  if (condition === 'model_stops') return null; // decided with the pending events, above
  if ('tool_call' in condition) {
    const call = calls.find((c) => toolCallMatches(condition.tool_call, condition.arguments_match, c));
    return call
      ? `the model called ${call.tool}(${JSON.stringify(call.args ?? {})})${condition.arguments_match ? `, matching /${condition.arguments_match}/i` : ''}`
      : null;
  }
  return text && matches(condition.text_matches, text) ? `the model's text matched /${condition.text_matches}/i` : null;
}

// Patterns are checked for catastrophic backtracking at validation; this bounds any that slipped by.
function matches(pattern: string, text: string): boolean {
  return testWithinTime(pattern, 'i', text) === true;
}
