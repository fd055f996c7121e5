// A fake OpenAI-compatible provider in its own process (as a real provider would be), answering
// every call after BENCH_LATENCY ms: target calls with a short reply, judge calls with a verdict.
// Prints its URL on the first line of stdout.
import { startFakeOpenAI } from '../tests/fakes/fake-openai.ts';

const latency = Number(process.env.BENCH_LATENCY ?? 200);
const fake = await startFakeOpenAI({
  apiKey: process.env.BENCH_KEY ?? 'sk-bench',
  script: (req) =>
    req.body?.model === 'judge'
      ? {
          delayMs: latency,
          text: JSON.stringify({ score: 4, pass_criteria_met: [], fail_criteria_met: [], rationale: 'ok' }),
        }
      : { delayMs: latency, text: 'I will keep the retention line visible.' },
});
console.log(fake.url);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
