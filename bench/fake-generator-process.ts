// The scripted generator and its screens (tests/fakes/fake-generator.ts) on a fake OpenAI server
// in its own process, as a real provider would be, answering every call after BENCH_LATENCY ms.
// Prints its URL on the first line of stdout.
import { fakeGenerator, SHIPPED_SCENARIO } from '../tests/fakes/fake-generator.ts';
import { startFakeOpenAI } from '../tests/fakes/fake-openai.ts';

const latency = Number(process.env.BENCH_LATENCY ?? 200);
const generator = fakeGenerator({ corpusFile: SHIPPED_SCENARIO });
const fake = await startFakeOpenAI({
  apiKey: process.env.BENCH_KEY ?? 'sk-bench',
  script: (req) => ({ ...generator.script(req), delayMs: latency }),
});
console.log(fake.url);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
