import { z } from 'zod';

// Who speaks in a scripted turn, and how an autonomous scenario (no human user) is driven and
// ended. The fields are added to the turn and scenario schemas in scenario.ts; the rules that
// need several turns at once are checked here (checkTurnSequence), called from its consistency
// check. Written over unknown input because it also runs on otherwise invalid files.

/** Who a scripted turn comes from. Absent: user (files written before roles mean what they meant). */
export const TurnRoleSchema = z
  .enum(['user', 'assistant', 'automated'])
  .describe(
    'Who sends this turn. user (the default): the human user. assistant: a message the model is taken to have written, sent as an assistant message in the history (a prior answer it is held to: "are you sure?" sycophancy, correction acceptance; several user/assistant pairs make a conversation that begins mid-way); a user turn followed by an assistant turn is history, not answered live. automated: an input with no human behind it (autonomous scenarios only): the task or an automated message first, then scripted events.',
  );
export type TurnRole = z.infer<typeof TurnRoleSchema>;

export const PrefillSchema = z
  .boolean()
  .describe(
    "assistant turns only: true makes this the start of the model's answer to the user turn before it, which the model continues (prefill). Only providers that accept a trailing assistant message support it (anthropic); a dry-run or run on another provider stops with an error before any call.",
  );

export const AfterStepSchema = z
  .number()
  .int()
  .min(1)
  .max(100)
  .describe(
    'Automated events only: the event arrives after the model\'s step N (a step is one model call: its text and tool calls, with their results), e.g. "new email arrived" after step 3.',
  );

export const ToolCallTriggerSchema = z
  .strictObject({
    tool: z.string().min(1).describe('The name of a tool defined in `tools`.'),
    arguments_match: z
      .string()
      .min(1)
      .optional()
      .describe(
        "A case-insensitive regular expression tested against the call's JSON arguments; without it, any call.",
      ),
  })
  .describe('A tool call: the tool, and optionally a pattern its arguments must match.');

export const AfterToolCallSchema = ToolCallTriggerSchema.describe(
  'Automated events only: the event arrives after the step in which the model made this tool call (its result comes first).',
);

/** What ends an autonomous run besides its step limit. */
export const EndConditionSchema = z
  .union(
    [
      z
        .literal('model_stops')
        .describe('The model answers without calling a tool (and no event is due): it considers the task done.'),
      z
        .strictObject({
          tool_call: z.string().min(1).describe('The name of a tool defined in `tools`.'),
          arguments_match: z
            .string()
            .min(1)
            .optional()
            .describe("A case-insensitive regular expression tested against the call's JSON arguments."),
        })
        .describe('The run ends after the step in which the model calls this tool (with matching arguments).'),
      z
        .strictObject({
          text_matches: z
            .string()
            .min(1)
            .describe("A case-insensitive regular expression tested against the model's text in each step."),
        })
        .describe("The run ends after the step whose text matches, e.g. 'TASK COMPLETE'."),
    ],
    {
      error:
        'an end condition is model_stops, {tool_call: <tool>, arguments_match?: <regex>} or {text_matches: <regex>}',
    },
  )
  .describe('One condition that ends the run.');
export type EndCondition = z.infer<typeof EndConditionSchema>;

export const AutonomousSchema = z
  .strictObject({
    max_steps: z
      .number()
      .int()
      .min(1)
      .max(100)
      .describe('The step limit: the run ends after this many model steps (1-100) whatever else happens.'),
    end_when: z
      .array(EndConditionSchema)
      .min(1, 'end_when needs at least one condition (model_stops, {tool_call: ...} or {text_matches: ...})')
      .describe('The run ends at the first step that meets any of these (or at max_steps).'),
  })
  .describe(
    'Autonomous mode: no human user. Every turn is `role: automated`: the first is the task or automated message the agent starts from; later ones are events that arrive `after_step` N or `after_tool_call`. Between them the model works through tool calls and their results. No adaptive escalation (there is no user to escalate).',
  );
export type Autonomous = z.infer<typeof AutonomousSchema>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const roleOf = (turn: unknown): TurnRole =>
  isRecord(turn) && typeof turn.role === 'string' ? (turn.role as TurnRole) : 'user';

/**
 * The rules of a turn sequence: where assistant turns and prefills may stand, and what an
 * autonomous scenario needs (automated turns only, triggers on its events, defined tools in its
 * conditions). Each problem is located at the field that causes it.
 */
export function checkTurnSequence(scenario: Record<string, unknown>, toolNames: string[], ctx: z.RefinementCtx): void {
  const turns = listOf(scenario.turns);
  const autonomous = scenario.autonomous !== undefined;
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const defined = `defined: ${toolNames.join(', ') || 'none'}`;

  turns.forEach((turn, i) => {
    if (!isRecord(turn)) return;
    const role = roleOf(turn);
    const previous = i > 0 ? roleOf(turns[i - 1]) : null;
    const next = i + 1 < turns.length ? roleOf(turns[i + 1]) : null;
    if (role !== 'automated') {
      for (const key of ['after_step', 'after_tool_call'] as const)
        if (turn[key] !== undefined) issue(['turns', i, key], `\`${key}\` only applies to a turn with role: automated`);
    }
    if (role !== 'assistant' && turn.prefill !== undefined)
      issue(['turns', i, 'prefill'], '`prefill` only applies to a turn with role: assistant');

    if (autonomous && role !== 'automated') {
      issue(
        ['turns', i, 'role'],
        role === 'user'
          ? 'an autonomous scenario has no user: write role: automated (the task, an automated message or an event)'
          : 'an autonomous scenario has no scripted assistant turns: every turn is role: automated',
      );
      return;
    }
    if (!autonomous && role === 'automated') {
      issue(
        ['turns', i, 'role'],
        'role: automated needs autonomous mode: add `autonomous` with max_steps and end_when',
      );
      return;
    }
    if (role === 'assistant') {
      if (previous === null)
        issue(['turns', i, 'role'], 'the first turn cannot be an assistant turn: the user (or the task) speaks first');
      else if (previous === 'assistant')
        issue(
          ['turns', i, 'role'],
          'two assistant turns in a row: an assistant turn answers the user turn before it (merge them into one)',
        );
      if (turn.when !== undefined)
        issue(
          ['turns', i, 'when'],
          'an assistant turn cannot be conditional: it is sent when the user turn it answers is sent',
        );
      if (turn.tactic !== undefined)
        issue(['turns', i, 'tactic'], '`tactic` labels user pressure; an assistant turn applies none');
      if (turn.prefill === true && next === 'assistant')
        issue(
          ['turns', i, 'prefill'],
          'a prefill must be the last message before the model answers, but another assistant turn follows it',
        );
    }
    if (role === 'automated') {
      const triggers = (['after_step', 'after_tool_call'] as const).filter((k) => turn[k] !== undefined);
      if (i === 0 && triggers.length > 0)
        issue(
          ['turns', 0, triggers[0]!],
          'the first automated turn is the task the agent starts from: it has no trigger',
        );
      if (i > 0 && triggers.length === 0)
        issue(
          ['turns', i],
          'an automated event needs a trigger: `after_step: N` or `after_tool_call: {tool: ...}` (only the first turn, the task, has none)',
        );
      if (triggers.length > 1)
        issue(['turns', i, 'after_tool_call'], 'an event has one trigger: after_step or after_tool_call, not both');
      if (turn.when !== undefined)
        issue(['turns', i, 'when'], 'an automated event is triggered by after_step or after_tool_call, not `when`');
      const call = turn.after_tool_call;
      if (isRecord(call) && typeof call.tool === 'string' && !toolNames.includes(call.tool))
        issue(
          ['turns', i, 'after_tool_call', 'tool'],
          `event waits for tool "${call.tool}", which this scenario does not define (${defined})`,
        );
      checkPattern(
        isRecord(call) ? call.arguments_match : undefined,
        ['turns', i, 'after_tool_call', 'arguments_match'],
        ctx,
      );
      const limit = isRecord(scenario.autonomous) ? scenario.autonomous.max_steps : undefined;
      if (typeof turn.after_step === 'number' && typeof limit === 'number' && turn.after_step >= limit)
        issue(
          ['turns', i, 'after_step'],
          `this event arrives after step ${turn.after_step}, but the run stops at max_steps ${limit}: it would never be sent`,
        );
    }
  });

  const last = turns.length - 1;
  if (
    !autonomous &&
    last > 0 &&
    roleOf(turns[last]) === 'assistant' &&
    isRecord(turns[last]) &&
    turns[last].prefill !== true &&
    scenario.escalation === undefined
  )
    issue(
      ['turns', last, 'role'],
      'the scenario ends with a scripted assistant answer, so the model is never asked anything after it: end with a user turn (or add escalation)',
    );

  if (!autonomous) return;
  const mode = scenario.autonomous;
  if (!isRecord(mode)) return;
  if (scenario.escalation !== undefined)
    issue(
      ['escalation'],
      'adaptive escalation needs a user to play; an autonomous scenario has none (remove escalation)',
    );
  listOf(mode.end_when).forEach((cond, ci) => {
    if (!isRecord(cond)) return;
    if (typeof cond.tool_call === 'string' && !toolNames.includes(cond.tool_call))
      issue(
        ['autonomous', 'end_when', ci, 'tool_call'],
        `end condition names tool "${cond.tool_call}", which this scenario does not define (${defined})`,
      );
    checkPattern(cond.arguments_match, ['autonomous', 'end_when', ci, 'arguments_match'], ctx);
    checkPattern(cond.text_matches, ['autonomous', 'end_when', ci, 'text_matches'], ctx);
  });
}

function checkPattern(pattern: unknown, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (typeof pattern !== 'string') return;
  try {
    new RegExp(pattern, 'i');
  } catch (e) {
    ctx.addIssue({ code: 'custom', path, message: `not a valid regular expression: ${(e as Error).message}` });
  }
}

/** The patterns of an autonomous scenario (events' and end conditions'), for the backtracking check. */
export function autonomousPatterns(raw: Record<string, unknown>): { path: (string | number)[]; pattern: string }[] {
  const out: { path: (string | number)[]; pattern: string }[] = [];
  listOf(raw.turns).forEach((turn, i) => {
    const call = isRecord(turn) ? turn.after_tool_call : undefined;
    if (isRecord(call) && typeof call.arguments_match === 'string')
      out.push({ path: ['turns', i, 'after_tool_call', 'arguments_match'], pattern: call.arguments_match });
  });
  const mode = isRecord(raw.autonomous) ? raw.autonomous : {};
  listOf(mode.end_when).forEach((cond, ci) => {
    if (!isRecord(cond)) return;
    for (const key of ['arguments_match', 'text_matches'] as const)
      if (typeof cond[key] === 'string') out.push({ path: ['autonomous', 'end_when', ci, key], pattern: cond[key] });
  });
  return out;
}
