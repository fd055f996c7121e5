// Issue 20 point 8, the verdict side: 200 annotators looping next-transcript and submit-verdict
// against the real server, as rating-load.bench.ts does for realism ratings. The study holds
// TRANSCRIPTS judged transcripts of four turns (default 3,000, each with three verdicts already: a
// study under way) and takes up to 50 verdicts a transcript, so it never fills. The server runs in its own
// process (the bundle, as npm start runs it); this process is the load generator only. Figures, as
// for realism ratings: p99 <= 50 ms and at most 2 ms of the server's own CPU per next + submit (from
// /proc for the server process: load from others on a shared machine stretches latency, not CPU
// time), no failed request. Each annotator pauses 200-1000 ms between requests, after a first
// pass without pauses that warms the server up (printed, not gated).
// Run: npx tsx bench/annotation-load.bench.ts [seconds] [transcripts]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { seedShippedCalibration } from './calibration-seed.ts';
import { raterLoops, ratersViaInvite } from './rater-loops.ts';
import { cpuByThreadDelta, cpuByThreadMs, processCpuMs } from './server-cpu.ts';
import {
  becomeFirstAdmin,
  fmt,
  latencyLine,
  percentile,
  recordFigure,
  startServerProcess,
  stopServerProcess,
} from './support.ts';

const SECONDS = Number(process.argv[2] ?? 20);
const TRANSCRIPTS = Number(process.argv[3] ?? 3000);
const ANNOTATORS = 200;
const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-annotation-'));
const dbPath = join(dir, 'db.sqlite');
const db = openDatabase(dbPath);
await migrateToLatest(db);
// Four turns each, about 6 KB of events: what an annotator's next transcript carries.
const { studyId } = await seedShippedCalibration(db, TRANSCRIPTS, 4);
// Room for every annotator on every transcript: the pass measures assignment, never a full study.
await db.updateTable('annotation_study').set({ raters_per_item: 50 }).where('id', '=', studyId).execute();
await db.destroy();

const { url, child, adminLink } = await startServerProcess({
  CRUCIBLE_DB: dbPath,
  CRUCIBLE_SCENARIOS: join(process.cwd(), 'scenarios'),
  CRUCIBLE_MODELS: join(dir, 'none.yaml'),
});
const json = { 'content-type': 'application/json' };

try {
  const admin = await becomeFirstAdmin(url, adminLink!);
  const invite = await fetch(`${url}/api/admin/invites`, {
    method: 'POST',
    headers: { ...json, cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    body: JSON.stringify({ role: 'rater', studyId, maxUses: 2 * ANNOTATORS }),
  });
  if (invite.status !== 201) throw new Error(`invite: ${invite.status} ${await invite.text()}`);
  const { token } = (await invite.json()) as { token: string };

  async function runPass(name: string, pauseMs: () => number, seconds: number) {
    const annotators = await ratersViaInvite(url, token, ANNOTATORS, `${name.slice(0, 8)} annotator`);
    const cpuBefore = processCpuMs(child.pid!);
    const threadsBefore = cpuByThreadMs(child.pid!);
    const { latency, errors, errorSamples } = await raterLoops(
      annotators,
      {
        nextUrl: `${url}/api/rate/annotation/${studyId}/next`,
        submit: ({ leaseId }) => ({
          url: `${url}/api/rate/annotation/${studyId}/annotations`,
          body: {
            leaseId,
            score: 1 + Math.floor(Math.random() * 5),
            passMet: [0],
            failMet: [],
            reason: 'It held its ground on the numbers.',
            confidence: 4,
          },
        }),
        doneEnds: false, // the study never fills: "done" would be a fault
      },
      pauseMs,
      seconds,
    );
    const serverCpu = processCpuMs(child.pid!) - cpuBefore;
    const byThread = cpuByThreadDelta(threadsBefore, cpuByThreadMs(child.pid!));
    const all = [...latency.next, ...latency.submit];
    if (latency.submit.length === 0) throw new Error(`no verdicts were made: ${errorSamples.join(' | ')}`);
    const cpuPerCycle = serverCpu / latency.submit.length;
    console.log(
      `${name}: ${latency.submit.length} verdicts, ${all.length} requests in ${seconds} s (${(all.length / seconds).toFixed(0)} req/s), ${errors} errors`,
    );
    console.log(latencyLine('next', latency.next));
    console.log(latencyLine('submit', latency.submit));
    console.log(
      `  server CPU ${(serverCpu / 1000).toFixed(1)} s: ${fmt(cpuPerCycle)} per next + submit (${byThread}); load average ${loadavg()[0]!.toFixed(2)}`,
    );
    if (errorSamples.length) console.log(`  first errors: ${errorSamples.slice(0, 3).join(' | ')}`);
    return { p99: percentile(all, 99), errors, cpuPerCycle };
  }

  await runPass('200 annotators, no pause (warm-up)', () => 0, Math.min(SECONDS, 10));
  const paced = await runPass('200 annotators, 200-1000 ms between requests', () => 200 + Math.random() * 800, SECONDS);
  recordFigure(`200 annotators on ${TRANSCRIPTS} transcripts, next and submit, p99`, paced.p99, {
    atMost: 50,
    unit: 'ms',
  });
  recordFigure('200 annotators, failed requests', paced.errors, { atMost: 0, unit: 'requests', digits: 0 });
  recordFigure('200 annotators, server CPU per next + submit', paced.cpuPerCycle, {
    atMost: 2,
    unit: 'ms',
    digits: 2,
  });
} finally {
  await stopServerProcess(child);
  rmSync(dir, { recursive: true, force: true });
}
