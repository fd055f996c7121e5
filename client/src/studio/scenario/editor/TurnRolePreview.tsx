import { list, obj, str, type Loose } from './previewModel.ts';

// The preview's reading of scripted assistant turns and autonomous mode (issue 15): who sends a
// turn when it is not the user, when an automated event arrives, and how an autonomous run ends.
// Written over the loose draft (the text may not validate yet).

/** A badge for a turn that is not the user's, and its trigger; nothing for a user turn. */
export function TurnRoleBadge({ turn }: { turn: Loose }) {
  const role = str(turn.role);
  if (role === 'assistant')
    return (
      <span className="badge" data-testid="preview-turn-role">
        {turn.prefill === true ? 'assistant prefill: the model continues it' : 'assistant: prior answer (scripted)'}
      </span>
    );
  if (role !== 'automated') return null;
  const call = obj(turn.after_tool_call);
  const trigger =
    turn.after_step !== undefined
      ? `after step ${String(turn.after_step)}`
      : str(call.tool)
        ? `after a call to ${str(call.tool)}`
        : 'the task';
  return (
    <span className="badge" data-testid="preview-turn-role">
      automated · {trigger}
    </span>
  );
}

/** How an autonomous scenario ends, or null for a conversation. */
export function AutonomousSummary({ autonomous }: { autonomous: unknown }) {
  if (autonomous === undefined) return null;
  const mode = obj(autonomous);
  const ends = list(mode.end_when).map((c) => {
    if (c === 'model_stops') return 'the model stops';
    const cond = obj(c);
    if (str(cond.tool_call)) return `a call to ${str(cond.tool_call)}`;
    if (str(cond.text_matches)) return `text matching /${str(cond.text_matches)}/i`;
    return '?';
  });
  return (
    <p className="muted" data-testid="preview-autonomous">
      Autonomous agent, no user: it works step by step until {ends.join(', or ') || '(no end condition)'}, or{' '}
      <strong>{String(mode.max_steps ?? '?')}</strong> steps.
    </p>
  );
}
