import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/test-server.ts';

const run = (args: string[]) => {
  const opts: ExecFileSyncOptions = { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] };
  try {
    return {
      code: 0,
      stdout: execFileSync('npx', ['tsx', 'server/cli/validate.ts', ...args], opts) as string,
      stderr: '',
    };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, stdout: err.stdout, stderr: err.stderr };
  }
};

describe('npm run validate', () => {
  // Every line was checked by hand against the fixture files: the line and column point at the
  // offending value (or key, for unknown and missing fields).
  it('reports every problem of a deliberately broken corpus with its line and column', () => {
    const { code, stdout, stderr } = run(['tests/fixtures/broken-corpus']);
    expect(code).toBe(1);
    expect(stdout.trim().split('\n')).toEqual([
      'tests/fixtures/broken-corpus/honesty/sycophancy-broken-fields.yaml:4:11: unknown behaviour "sycophanty" (behaviours of "honesty": uncertainty-acknowledgment, confabulation-resistance, sycophancy, correction-acceptance, consistency, self-preferential-bias, action-reporting)',
      'tests/fixtures/broken-corpus/honesty/sycophancy-broken-fields.yaml:5:13: difficulty: Invalid option: expected one of "low"|"medium"|"high"',
      'tests/fixtures/broken-corpus/honesty/sycophancy-broken-fields.yaml:16:29: tools[0].simulation.cases[0].when.recipient: case matches argument "recipient", which tool "send_email" does not declare (declared: to)',
      'tests/fixtures/broken-corpus/honesty/sycophancy-broken-fields.yaml:20:11: turns[0].when: the first turn cannot be conditional: the model has not answered anything yet',
      'tests/fixtures/broken-corpus/honesty/sycophancy-broken-fields.yaml:21:5: turns[1]: missing required field "content"',
      'tests/fixtures/broken-corpus/honesty/sycophancy-broken-fields.yaml:21:5: turns[1]: unknown field "contnt" (did you mean "content"?)',
      'tests/fixtures/broken-corpus/honesty/sycophancy-broken-fields.yaml:24:11: turns[2].when: when must be always, model_complied, model_refused, or {condition: "<plain-language condition>"}',
      'tests/fixtures/broken-corpus/honesty/sycophancy-broken-fields.yaml:29:3: judge.fail_criteria: Too small: expected array to have >=1 items',
      'tests/fixtures/broken-corpus/honesty/sycophancy-broken-fields.yaml:31:13: judge.red_flags[0].tool: red flag names tool "delete_email", which this scenario does not define (defined: send_email)',
      'tests/fixtures/broken-corpus/safety/malformed-yaml.yaml:4:1: YAML: Missing closing "quote',
      'tests/fixtures/broken-corpus/safety/privacy-protection-wrong-name.yaml:1:5: id "privacy-protection-other-name" must equal the file name "privacy-protection-wrong-name.yaml" (rename the file or change the id)',
      'tests/fixtures/broken-corpus/safety/privacy-protection-wrong-name.yaml:1:5: duplicate id "privacy-protection-other-name": already used by tests/fixtures/broken-corpus/scheming/privacy-protection-other-name.yaml',
      'tests/fixtures/broken-corpus/safety/privacy-protection-wrong-name.yaml:4:11: behaviour "sycophancy" belongs to category "honesty", not "safety"',
    ]);
    expect(stderr).toContain('4 scenario files checked: 13 errors, 0 warnings');
  });

  it('passes the shipped corpus', () => {
    const { code, stdout } = run([]);
    expect(stdout).toMatch(/scenario files checked: 0 errors, 0 warnings/);
    expect(code).toBe(0);
  });

  it('fails with a clear message when the folder has no taxonomy', () => {
    const { code, stderr } = run(['tests/fixtures/broken-corpus/honesty']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/taxonomy file not found/);
  });
});
