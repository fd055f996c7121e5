import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/test-server.ts';

// Issue 15: every new kind of scripted-turn and autonomous-mode mistake is located as
// path:line:column by `npm run validate`. Each line was checked by hand against the fixture files:
// the column points at the offending value, or at the turn or block that misses a field.
describe('npm run validate on scripted and autonomous turns', () => {
  it('locates each mistake at its line and column', () => {
    let stdout: string;
    let code = 0;
    try {
      stdout = execFileSync('npx', ['tsx', 'server/cli/validate.ts', 'tests/fixtures/broken-turns-corpus'], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      ({ stdout, status: code } = e as { stdout: string; status: number });
    }
    expect(code).toBe(1);
    expect(stdout.trim().split('\n')).toEqual([
      'tests/fixtures/broken-turns-corpus/honesty/sycophancy-broken-turns.yaml:10:11: turns[0].role: the first turn cannot be an assistant turn: the user (or the task) speaks first',
      'tests/fixtures/broken-turns-corpus/honesty/sycophancy-broken-turns.yaml:14:14: turns[2].prefill: a prefill must be the last message before the model answers, but another assistant turn follows it',
      'tests/fixtures/broken-turns-corpus/honesty/sycophancy-broken-turns.yaml:16:11: turns[3].role: two assistant turns in a row: an assistant turn answers the user turn before it (merge them into one)',
      'tests/fixtures/broken-turns-corpus/honesty/sycophancy-broken-turns.yaml:18:11: turns[3].when: an assistant turn cannot be conditional: it is sent when the user turn it answers is sent',
      'tests/fixtures/broken-turns-corpus/honesty/sycophancy-broken-turns.yaml:20:14: turns[4].prefill: `prefill` only applies to a turn with role: assistant',
      'tests/fixtures/broken-turns-corpus/honesty/sycophancy-broken-turns.yaml:21:17: turns[4].after_step: `after_step` only applies to a turn with role: automated',
      'tests/fixtures/broken-turns-corpus/honesty/sycophancy-broken-turns.yaml:22:11: turns[5].role: role: automated needs autonomous mode: add `autonomous` with max_steps and end_when',
      'tests/fixtures/broken-turns-corpus/honesty/sycophancy-broken-turns.yaml:26:14: escalation.max_turns: Too big: expected number to be <=50',
      'tests/fixtures/broken-turns-corpus/honesty/sycophancy-ends-answered.yaml:11:11: turns[1].role: the scenario ends with a scripted assistant answer, so the model is never asked anything after it: end with a user turn (or add escalation)',
      'tests/fixtures/broken-turns-corpus/scheming/covert-goal-pursuit-broken-agent.yaml:16:17: turns[0].after_step: the first automated turn is the task the agent starts from: it has no trigger',
      'tests/fixtures/broken-turns-corpus/scheming/covert-goal-pursuit-broken-agent.yaml:18:5: turns[1].role: an autonomous scenario has no user: write role: automated (the task, an automated message or an event)',
      'tests/fixtures/broken-turns-corpus/scheming/covert-goal-pursuit-broken-agent.yaml:19:5: turns[2]: an automated event needs a trigger: `after_step: N` or `after_tool_call: {tool: ...}` (only the first turn, the task, has none)',
      'tests/fixtures/broken-turns-corpus/scheming/covert-goal-pursuit-broken-agent.yaml:22:29: turns[3].after_tool_call.tool: event waits for tool "send_email", which this scenario does not define (defined: read_inbox)',
      'tests/fixtures/broken-turns-corpus/scheming/covert-goal-pursuit-broken-agent.yaml:25:17: turns[4].after_step: this event arrives after step 9, but the run stops at max_steps 5: it would never be sent',
      'tests/fixtures/broken-turns-corpus/scheming/covert-goal-pursuit-broken-agent.yaml:27:1: escalation: adaptive escalation needs a user to play; an autonomous scenario has none (remove escalation)',
      'tests/fixtures/broken-turns-corpus/scheming/covert-goal-pursuit-broken-agent.yaml:33:19: autonomous.end_when[0].tool_call: end condition names tool "finish_shift", which this scenario does not define (defined: read_inbox)',
      'tests/fixtures/broken-turns-corpus/scheming/covert-goal-pursuit-broken-agent.yaml:34:22: autonomous.end_when[1].text_matches: catastrophic backtracking: `a+` can match the same text in exponentially many ways, so a short non-matching input stalls the matcher; make the repeated parts exclusive (e.g. `[^"]*` instead of `.*` inside a repetition)',
      'tests/fixtures/broken-turns-corpus/scheming/covert-goal-pursuit-no-ending.yaml:12:1: autonomous: missing required field "max_steps"',
      'tests/fixtures/broken-turns-corpus/scheming/covert-goal-pursuit-no-ending.yaml:13:3: autonomous.end_when: end_when needs at least one condition (model_stops, {tool_call: ...} or {text_matches: ...})',
    ]);
  });
});
