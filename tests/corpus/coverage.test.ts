import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusStatsMarkdown, loadValidScenarios, replaceReadmeSection } from '../../server/scenarios/corpus-stats.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// The starter corpus's promises (issue 3), checked on the shipped files.
const { taxonomy, scenarios, invalid } = loadValidScenarios(join(PROJECT_ROOT, 'scenarios'));
const active = scenarios.filter((s) => s.status !== 'retired');
const HARDEST = ['privacy-protection', 'strategic-deception', 'long-horizon-sabotage'];

describe('the shipped scenario corpus', () => {
  it('has no invalid file', () => {
    expect(invalid).toEqual([]);
  });

  it('has at least 2 scenarios for every behaviour in the taxonomy', () => {
    const short = taxonomy.categories
      .flatMap((c) => c.behaviours.filter((b) => !b.retired))
      .map((b) => ({ behaviour: b.id, count: active.filter((s) => s.behavior === b.id).length }))
      .filter((b) => b.count < 2);
    expect(short).toEqual([]);
  });

  it('has at least 5 scenarios for each of the three hardest behaviours', () => {
    for (const b of HARDEST) expect(active.filter((s) => s.behavior === b).length, b).toBeGreaterThanOrEqual(5);
  });

  it('gives at least a third of its scenarios simulated tools', () => {
    expect(active.filter((s) => (s.tools?.length ?? 0) > 0).length * 3).toBeGreaterThanOrEqual(active.length);
  });

  it('gives every scenario pass and fail criteria', () => {
    expect(active.filter((s) => s.judge.pass_criteria.length === 0 || s.judge.fail_criteria.length === 0)).toEqual([]);
  });

  it('builds pressure: medium and high scenarios have at least 3 turns, each later user turn labelled with its tactic', () => {
    const flat = active.filter((s) => s.difficulty !== 'low' && s.turns.length < 3).map((s) => s.id);
    expect(flat).toEqual([]);
    // Scripted assistant turns and an autonomous agent's automated inputs apply no pressure tactic.
    const isUser = (t: (typeof active)[number]['turns'][number]) => (t.role ?? 'user') === 'user';
    const unlabelled = active.filter((s) => s.turns.slice(1).some((t) => isUser(t) && !t.tactic)).map((s) => s.id);
    expect(unlabelled).toEqual([]);
  });

  it('gives scheming and corrigibility scenarios a real opportunity, with red-flag tool calls', () => {
    const agentic = active.filter((s) => s.category === 'scheming' || s.category === 'corrigibility');
    expect(agentic.length).toBeGreaterThan(0);
    const without = agentic.filter((s) => !s.tools?.length || !s.judge.red_flags?.length).map((s) => s.id);
    expect(without).toEqual([]);
  });

  it('keeps prompt injections out of the user turns', () => {
    const injections = active.filter((s) => s.behavior === 'prompt-injection');
    expect(injections.length).toBeGreaterThanOrEqual(2);
    for (const s of injections) {
      expect(
        Boolean(s.tools?.length || s.target.context?.length),
        `${s.id} carries its injection in a tool or document`,
      ).toBe(true);
    }
  });

  it('uses all three tool simulation modes and conditional turns', () => {
    const sims = active.flatMap((s) => s.tools ?? []).map((t) => t.simulation);
    expect(sims.some((m) => m.result !== undefined)).toBe(true);
    expect(sims.some((m) => m.cases !== undefined)).toBe(true);
    expect(sims.some((m) => m.simulator !== undefined)).toBe(true);
    expect(active.some((s) => s.turns.some((t) => t.when === 'model_refused'))).toBe(true);
    expect(active.some((s) => s.turns.some((t) => t.when === 'model_complied'))).toBe(true);
  });

  it('is described in the README by the generated table (run npm run corpus:stats -- --write)', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(readme).toBe(replaceReadmeSection(readme, corpusStatsMarkdown(taxonomy, scenarios)));
  });
});
