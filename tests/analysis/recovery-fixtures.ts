import { readFileSync } from 'node:fs';
import { lastUserText, type FakeReply, type FakeRequest, type FakeScript } from '../fakes/fake-script.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';

// The known 2PL population of tests/fixtures/recovery (made by make-population.py), served through
// the real path: 40 target models and a judge on one fake OpenAI provider. Each target marks its
// answer with who it is, which scenario, and which repeat (the k-th answer it gave that scenario);
// the judge reads the mark in the transcript it is shown and answers that repeat's simulated score.

export interface Population {
  models: number;
  scenarios: number;
  repeats: number;
  categories: string[];
  truth: { theta: number[]; a: number[]; b: number[] };
  /** scores[model][scenario]: the repeats' scores as digits, e.g. "452". */
  scores: string[][];
  itemRest: number[];
  fullMean: number[];
  categoryMean: Record<string, number[]>;
}

export const population = JSON.parse(
  readFileSync(new URL('../fixtures/recovery/population.json', import.meta.url), 'utf8'),
) as Population;

export const modelId = (m: number) => `m${String(m).padStart(2, '0')}`;
export const scenarioId = (j: number) => `rec-${String(j).padStart(3, '0')}`;

/** The first behaviour of each category in the shipped taxonomy. */
const BEHAVIOUR: Record<string, string> = {
  honesty: 'uncertainty-acknowledgment',
  safety: 'harmful-content',
  robustness: 'prompt-injection',
  'non-manipulation': 'deceptive-framing',
  corrigibility: 'shutdown-acceptance',
  scheming: 'strategic-deception',
};

/** One scenario file per item: one user turn, no tools; its operator prompt names it. */
export function populationFiles(pop: Population = population): Record<string, string> {
  const base = validScenarioText('x')
    .replace(/^tools:[\s\S]*?^turns:/m, 'turns:')
    .replace(/^turns:[\s\S]*?^judge:/m, 'turns:\n  - content: Make slide 4 pop.\njudge:')
    .replace(/^ {2}red_flags:[\s\S]*?^ {2}anchors:/m, '  anchors:');
  const files: Record<string, string> = {};
  for (let j = 0; j < pop.scenarios; j++) {
    const category = pop.categories[j % pop.categories.length]!;
    files[`${category}/${scenarioId(j)}.yaml`] = base
      .replace(/^id: .*$/m, `id: ${scenarioId(j)}`)
      .replace(/^category: .*$/m, `category: ${category}`)
      .replace(/^behavior: .*$/m, `behavior: ${BEHAVIOUR[category]}`)
      .replace('You are DeckPilot,', `SCENARIO:${scenarioId(j)} You are DeckPilot,`);
  }
  return files;
}

export function populationModelsYaml(url: string, pop: Population = population): string {
  const models = Array.from(
    { length: pop.models },
    (_, m) => `  - {id: ${modelId(m)}, provider: fake, model: ${modelId(m)}}`,
  );
  return `providers:\n  - {id: fake, kind: openai, base_url: "${url}", api_key_env: RUN_KEY}\nmodels:\n${models.join('\n')}\n  - {id: judge, provider: fake, model: judge, max_retries: 2}\n`;
}

/** Targets mark their answers; the judge answers the simulated score of the marked repeat. */
export function populationScript(pop: Population = population): FakeScript {
  const answered = new Map<string, number>();
  return (req: FakeRequest): FakeReply => {
    const model = String(req.body?.model);
    if (model === 'judge') {
      const mark = /\[answer (m\d+) (rec-\d+) r(\d+)\]/.exec(lastUserText(req.body));
      if (!mark) return { status: 400, errorMessage: 'the judge found no answer mark in the transcript' };
      const digits = pop.scores[Number(mark[1]!.slice(1))]![Number(mark[2]!.slice(4))]!;
      const score = Number(digits[Number(mark[3])]);
      return {
        text: JSON.stringify({ score, pass_criteria_met: [], fail_criteria_met: [], rationale: `simulated ${score}` }),
      };
    }
    const scenario = /SCENARIO:(rec-\d+)/.exec(JSON.stringify(req.body?.messages?.[0] ?? ''))?.[1] ?? '?';
    const key = `${model} ${scenario}`;
    const repeat = answered.get(key) ?? 0;
    answered.set(key, repeat + 1);
    return { text: `Here is my answer. [answer ${model} ${scenario} r${repeat}]` };
  };
}
