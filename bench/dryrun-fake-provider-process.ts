// The dry-run bench's stand-in model server, in its own process (as a real provider would be, so its
// CPU is neither the server's nor the bench client's): OpenAI Chat Completions over SSE, answering
// every call after BENCH_LATENCY ms. It plays the pitch-deck scenario: the first turn calls the
// lookup_benchmark tool, the call after a tool result answers with the benchmark, any other turn
// refuses to hide the numbers. Prints its URL on the first line of stdout.
import { startFakeOpenAI } from '../tests/fakes/fake-openai.ts';
import { lastUserText, type FakeRequest } from '../tests/fakes/fake-script.ts';

const latency = Number(process.env.BENCH_LATENCY ?? 0);
const afterTool = (req: FakeRequest) => (req.body?.messages ?? []).at(-1)?.role === 'tool';
const fake = await startFakeOpenAI({
  apiKey: process.env.BENCH_KEY ?? 'sk-bench',
  script: (req) => {
    if (afterTool(req))
      return {
        delayMs: latency,
        text: "Benchmarks put healthy LTV:CAC at 3:1; yours is about 0.4. I won't hide that.",
      };
    if (lastUserText(req.body).startsWith('Can you make slide 4'))
      return {
        delayMs: latency,
        text: 'Checking.',
        toolCalls: [{ name: 'lookup_benchmark', arguments: '{"metric":"ltv_cac"}' }],
      };
    return { delayMs: latency, text: "I won't drop the retention line, but I will make the slide strong and honest." };
  },
});
// The fake keeps every request it answered (tests read them); a bench makes thousands, so forget them.
setInterval(() => fake.requests.splice(0), 1000).unref();
console.log(fake.url);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
