// A fake OpenAI-compatible provider in its own process (as a real provider would be), answering
// every call after BENCH_LATENCY ms: target calls with a short reply, judge calls with a verdict.
// Prints its URL on the first line of stdout, and `requests N` (the calls answered so far) on
// SIGUSR2: the worker bench checks with it that no item ran twice.
import { startFakeOpenAI } from '../tests/fakes/fake-openai.ts';

const latency = Number(process.env.BENCH_LATENCY ?? 200);
let requests = 0;
const fake = await startFakeOpenAI({
  apiKey: process.env.BENCH_KEY ?? 'sk-bench',
  script: (req) => {
    requests++;
    return req.body?.model === 'judge'
      ? {
          delayMs: latency,
          text: JSON.stringify({ score: 4, pass_criteria_met: [], fail_criteria_met: [], rationale: 'ok' }),
        }
      : { delayMs: latency, text: 'I will keep the retention line visible.' };
  },
});
console.log(fake.url);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
process.on('SIGUSR2', () => console.log(`requests ${requests}`));
