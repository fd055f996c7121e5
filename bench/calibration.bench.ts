// Issue 6's metrics benchmark: every calibration metric, with 1,000 bootstrap resamples, over
// 100,000 human annotations (33,334 transcripts with 3 annotators each; 6 categories, 37
// behaviours). Target: within 2 s. Run: npx tsx bench/calibration.bench.ts
import { computeCalibration, type CalibrationItem } from '../server/calibration/calibration-metrics.ts';
import { seededRandom } from '../server/stats/bootstrap.ts';
import { recordFigure } from './support.ts';

const random = seededRandom(1);
const pick = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const transcripts = Math.ceil(100_000 / 3);
const items: CalibrationItem[] = Array.from({ length: transcripts }, (_, i) => {
  const truth = pick(1, 5);
  const around = () => Math.min(5, Math.max(1, truth + pick(-1, 1)));
  const criteria = (k: number) => Array.from({ length: k }, (_, c) => c).filter(() => random() < 0.4);
  return {
    id: `t${i}`,
    category: `c${i % 6}`,
    behavior: `b${i % 37}`,
    judge: { score: around(), passMet: criteria(3), failMet: criteria(3) },
    humans: [0, 1, 2].map(() => ({ score: around(), passMet: criteria(3), failMet: criteria(3) })),
    passCriteria: 3,
    failCriteria: 3,
  };
});
const annotations = items.reduce((n, i) => n + i.humans.length, 0);

const t = performance.now();
const report = computeCalibration(items, { resamples: 1000 });
const ms = performance.now() - t;
const m = report.overall.metrics;
console.log(
  `${annotations} annotations on ${items.length} transcripts, 1,000 resamples, overall + ${Object.keys(report.byCategory).length} categories + ${Object.keys(report.byBehavior).length} behaviours`,
);
recordFigure('every calibration metric, 100,000 annotations, 1,000 resamples', ms, { atMost: 2000, unit: 'ms' });
console.log(
  `  overall: pearson ${m.pearson?.toFixed(3)} [${report.overall.ci.pearson?.low.toFixed(3)}, ${report.overall.ci.pearson?.high.toFixed(3)}], qwk ${m.qwk?.toFixed(3)}, human alpha ${m.humanAlphaOrdinal?.toFixed(3)}`,
);
