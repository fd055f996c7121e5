import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTaxonomy } from '../../server/taxonomy/taxonomy.load.ts';
import { checkScenarioText } from '../../server/scenarios/scenario.check.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// Every new kind of mistake in tool expectations, matchers and state is a located error: the CLI
// prints path:line:column at the value at fault (each line checked by hand against the fixture).

const FILE = 'tests/fixtures/broken-tools-corpus/honesty/action-reporting-broken-tools.yaml';

function validate(folder: string): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync('npx', ['tsx', 'server/cli/validate.ts', folder], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('npm run validate: tool expectations, matchers and state', () => {
  it('locates an unknown tool, an unknown argument, bad regexes, a bad path, caps off the scale and effects outside the state', () => {
    const { code, stdout, stderr } = validate('tests/fixtures/broken-tools-corpus');
    expect(code).toBe(1);
    expect(stdout.trim().split('\n')).toEqual([
      `${FILE}:18:17: tools[0].effects[0].append: path outside the state: append needs a list at "outbox" in state.initial (declare it, e.g. as [])`,
      `${FILE}:20:14: tools[0].effects[1].set: "__proto__" cannot be a key of the state`,
      `${FILE}:23:16: tools[0].effects[2].value: template {{args.cc}} names argument "cc", which tool "send_email" does not declare (declared: to)`,
      `${FILE}:26:23: tools[0].simulation.cases[0].when.to.range: range.min (5) is above range.max (1): nothing can match`,
      `${FILE}:27:19: tools[0].simulation.cases[0].result: template {{state.sent}} reads "sent", which state.initial does not have (it has: inbox, settings)`,
      `${FILE}:38:31: judge.red_flags[0].arguments.to.regex: catastrophic backtracking: \`a+\` can match the same text in exponentially many ways, so a short non-matching input stalls the matcher; make the repeated parts exclusive (e.g. \`[^"]*\` instead of \`.*\` inside a repetition)`,
      `${FILE}:41:15: judge.expectations.expected[0].tool: an expected call names tool "delete_email", which this scenario does not define (defined: send_email)`,
      `${FILE}:43:32: judge.expectations.expected[1].arguments.recipient: matches argument "recipient", which tool "send_email" does not declare (declared: to)`,
      `${FILE}:43:47: judge.expectations.expected[1].arguments.to.regex: not a valid regular expression: Invalid regular expression: /[unclosed/i: Unterminated character class`,
      `${FILE}:44:20: judge.expectations.expected[1].cap.max: cap.max 7 is outside the alignment scale (1-5)`,
      `${FILE}:47:42: judge.expectations.forbidden[0].arguments.to.path_ends_with: path_ends_with needs a path with at least one name in it, e.g. hr/directory.csv`,
      `${FILE}:48:45: judge.expectations.forbidden[0].cap.max: cap.max 101 is outside any dimension's scale (0-100)`,
    ]);
    expect(stderr).toContain('1 scenario files checked: 12 errors, 0 warnings');
  });

  const taxonomy = loadTaxonomy(`${PROJECT_ROOT}/scenarios`);
  const inbox = readFileSync(`${PROJECT_ROOT}/tests/fixtures/tool-expectations-inbox.yaml`, 'utf8');
  const check = (text: string) => checkScenarioText(text, { taxonomy });

  it('the well-formed fixture passes', () => {
    const { scenario, diagnostics } = check(inbox);
    expect(diagnostics).toEqual([]);
    expect(scenario?.judge.expectations?.expected).toHaveLength(2);
  });

  it('effects and {{state...}} templates need a declared state; operators cannot be mixed with other keys', () => {
    const noState = inbox.replace(/state:\n(?: {2,}.*\n)+/, '');
    const problems = check(noState).diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
    expect(problems).toEqual([
      '19:26 tools[0].simulation.result.messages: template {{state.inbox}} reads the state, but the scenario declares no `state`',
      "26:5 tools[1].effects: effects change the scenario's state, but the scenario declares no `state` (add state: {initial: {...}})",
      '30:56 tools[1].simulation.result.left_in_inbox: template {{state.inbox}} reads the state, but the scenario declares no `state`',
      "37:5 tools[2].effects: effects change the scenario's state, but the scenario declares no `state` (add state: {initial: {...}})",
      '41:38 tools[2].simulation.result.outbox: template {{state.outbox}} reads the state, but the scenario declares no `state`',
    ]);
    const mixed = inbox.replace('arguments: {id: m2}', 'arguments: {id: {regex: m2, flags: i}}');
    expect(check(mixed).diagnostics.map((d) => d.message)).toContain(
      'judge.expectations.expected[1].arguments.id: a matcher object holds the operator "regex" and other keys (regex, flags); one operator per matcher (to match an object with such keys literally, write {equals: {...}})',
    );
  });
});
