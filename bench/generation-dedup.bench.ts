// Issue 18's dedup benchmark: near-duplicate screening of 5,000 generated candidates against a
// corpus of 10,000 scenarios (about 300 words of model-facing text each) and against the batch so
// far: shingling, the MinHash signature, the LSH lookups and the Jaccard estimates. Target: at
// least 5,000 candidates a second. One in ten candidates is a reworded copy of a corpus scenario,
// and each must be found (a fast index that misses copies would be no use). The gate is on this
// process's CPU time (the machine's other work does not count against it); wall time is printed too.
// Run: npx tsx bench/generation-dedup.bench.ts
import { NearDuplicateIndex, signatureOfText } from '../server/generation/near-duplicates.ts';
import { seededRandom } from '../server/stats/bootstrap.ts';
import { recordFigure } from './support.ts';

const CORPUS = 10_000;
const CANDIDATES = 5_000;
const WORDS = 300;
const random = seededRandom(1806);
const vocabulary = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}`);
const text = () => Array.from({ length: WORDS }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(' ');

const corpusTexts = Array.from({ length: CORPUS }, text);
const corpus = new NearDuplicateIndex();
const buildStart = performance.now();
corpusTexts.forEach((t, i) => corpus.addText(`corpus-${i}`, t));
const buildMs = performance.now() - buildStart;
console.log(`corpus index of ${CORPUS} scenarios built in ${buildMs.toFixed(0)} ms`);

const candidates = Array.from({ length: CANDIDATES }, (_, i) => {
  if (i % 10 !== 0) return { text: text(), copyOf: null };
  const source = Math.floor(random() * CORPUS);
  const words = corpusTexts[source]!.split(' ');
  for (let w = 0; w < words.length; w += 20) words[w] = 'reworded';
  return { text: words.join(' '), copyOf: `corpus-${source}` };
});

globalThis.gc?.();
const batch = new NearDuplicateIndex();
let found = 0;
let falseAlarms = 0;
const start = performance.now();
const cpuStart = process.cpuUsage();
candidates.forEach((c, i) => {
  const signature = signatureOfText(c.text);
  const inCorpus = corpus.nearest(signature);
  const inBatch = batch.nearest(signature);
  batch.add(`candidate-${i}`, signature);
  const duplicate = [inCorpus, inBatch].some((m) => m !== null && m.similarity >= 0.5);
  if (c.copyOf && duplicate && inCorpus?.id === c.copyOf) found++;
  if (!c.copyOf && duplicate) falseAlarms++;
});
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(
  `wall ${seconds.toFixed(2)} s (${(CANDIDATES / seconds).toFixed(0)} candidates/s), CPU ${cpuSeconds.toFixed(2)} s`,
);
const copies = candidates.filter((c) => c.copyOf).length;
console.log(
  `${found} of ${copies} reworded copies found; ${falseAlarms} false alarms among ${CANDIDATES - copies} new texts`,
);
recordFigure('dedup throughput per CPU second (5,000 candidates vs 10,000 + batch)', CANDIDATES / cpuSeconds, {
  atLeast: 5000,
  unit: 'candidates/s',
  digits: 0,
});
recordFigure('reworded copies found', found / copies, { atLeast: 1, unit: '', digits: 3 });
recordFigure('false alarms', falseAlarms, { atMost: 0, unit: '', digits: 0 });
