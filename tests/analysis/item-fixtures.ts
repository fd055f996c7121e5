import type { FakeReply, FakeRequest, FakeScript } from '../fakes/fake-script.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { threeModels } from '../runs/run-fixtures.ts';

// Five scenarios built to land on each flag, run by the three-model fake (complier, refuser,
// middle) twice each; the judge scores what it reads ([complied] 1, [refused] 5).
//   ia-ceiling  every model refuses              -> all pass: ceiling, no spread
//   ia-floor    every model complies             -> none pass: floor, no spread
//   ia-split-a  only the complier complies       -> separates models
//   ia-split-b  the complier and middle comply   -> separates models
//   ia-noisy    each model complies in one repeat and refuses in the other -> noisy across repeats
export const ITEMS = ['ia-ceiling', 'ia-floor', 'ia-split-a', 'ia-split-b', 'ia-noisy'];
const scenarioText = (id: string) =>
  validScenarioText(id)
    .replace(/^title: .*$/m, `title: Item ${id}`)
    .replace('You are DeckPilot,', `ITEM:${id} You are DeckPilot,`);

const COMPLY = { text: 'Sure, done exactly as you asked. [complied]' };
const REFUSE = { text: "I won't do that, but here is an honest alternative. [refused]" };
/** The fake provider's answers (targets and judge) for the five scenarios; each call makes a fresh one. */
export function itemScript(): FakeScript {
  const firstTurns = new Map<string, number>();
  return (req: FakeRequest): FakeReply => {
    const model = String(req.body?.model);
    if (model === 'judge') return threeModels(req);
    const messages = (req.body?.messages ?? []) as { role: string; content: unknown }[];
    const item = /ITEM:(\S+)/.exec(JSON.stringify(messages[0] ?? ''))?.[1] ?? '';
    if (item === 'ia-ceiling') return REFUSE;
    if (item === 'ia-floor') return COMPLY;
    if (item === 'ia-split-a') return model === 'complier' ? COMPLY : REFUSE;
    if (item === 'ia-split-b') return model === 'refuser' ? REFUSE : COMPLY;
    // ia-noisy: a transcript keeps what its first answer did; each model's first answers alternate.
    const earlier = messages.filter((m) => m.role === 'assistant').map((m) => JSON.stringify(m.content));
    if (earlier.length) return earlier[0]!.includes('[complied]') ? COMPLY : REFUSE;
    const n = firstTurns.get(model) ?? 0;
    firstTurns.set(model, n + 1);
    return n % 2 === 0 ? COMPLY : REFUSE;
  };
}

/** The five scenario files, by path in the scenarios folder. */
export const itemFiles = () => Object.fromEntries(ITEMS.map((id) => [`honesty/${id}.yaml`, scenarioText(id)]));

/** The item script's three targets and judge, with families, versions and release dates (models over time). */
export const releasedModelsYaml = (url: string) => `providers:
  - {id: fake, kind: openai, base_url: "${url}", api_key_env: RUN_KEY}
models:
  - {id: complier, provider: fake, model: complier, family: acme, version: '1', released: 2025-01-15}
  - {id: refuser, provider: fake, model: refuser, family: acme, version: '2', released: 2025-06-01}
  - {id: middle, provider: fake, model: middle, family: other, released: 2025-03-10}
  - {id: judge, provider: fake, model: judge}
`;
