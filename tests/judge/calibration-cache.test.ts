import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShippedCalibration } from '../../bench/calibration-seed.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// The calibration report and the threshold sweep are kept per data version (a page visit asks for
// both; each costs thousands of bootstrap resamples). A change to the annotations must reach both.

let server: TestServer;
let studyId: string;
let judgeVersionId: string;
beforeAll(async () => {
  server = await startTestServer();
  ({ studyId, judgeVersionId } = await seedShippedCalibration(server.db, 60));
});
afterAll(() => server?.close());

async function reportAndSweep() {
  const query = `studyId=${studyId}&judgeVersionId=${judgeVersionId}`;
  const report = (await (await server.fetch(`/api/calibration?${query}`)).json()) as {
    transcripts: number;
    dataVersion: string;
    report: { overall: { metrics: { n: number; passKappa: number | null } } };
  };
  const sweep = (await (await server.fetch(`/api/calibration/threshold-sweep?${query}`)).json()) as {
    transcripts: number;
    sweep: { threshold: number; kappa: number | null }[];
  };
  return { report, sweep };
}

describe('calibration cache', () => {
  it('answers `intervals=later` at once with every metric and no interval, then the full report once it is computed', async () => {
    const query = `studyId=${studyId}&judgeVersionId=${judgeVersionId}`;
    type Body = {
      intervalsPending: boolean;
      dataVersion: string;
      report: { resamples: number; overall: { metrics: Record<string, number | null>; ci: Record<string, unknown> } };
      disagreements: unknown[];
    };
    const early = (await (await server.fetch(`/api/calibration?${query}&intervals=later`)).json()) as Body;
    expect(early.intervalsPending).toBe(true);
    expect(early.report.resamples).toBe(0);
    expect(Object.values(early.report.overall.ci).every((ci) => ci === null)).toBe(true);

    const full = (await (await server.fetch(`/api/calibration?${query}`)).json()) as Body;
    expect(full.intervalsPending).toBe(false);
    expect(full.report.resamples).toBe(1000);
    expect(full.report.overall.ci.pearson).not.toBeNull();
    // Of the same data (the page pairs them by it), with the same metrics and disagreements: only
    // the intervals were missing.
    expect(early.dataVersion).toBe(full.dataVersion);
    expect(early.report.overall.metrics).toEqual(full.report.overall.metrics);
    expect(early.disagreements).toEqual(full.disagreements);

    // Once the full report is cached, `later` gets it too.
    expect(await (await server.fetch(`/api/calibration?${query}&intervals=later`)).json()).toEqual(full);
  });

  it('answers a repeat with the same report and sweep, and follows a change of the annotations in both', async () => {
    const first = await reportAndSweep();
    expect(first.report.transcripts).toBe(60);
    expect(first.sweep.transcripts).toBe(60);
    expect(await reportAndSweep()).toEqual(first);

    // Ten transcripts lose their annotations: both answers are over the other fifty.
    const gone = (
      await server.db.selectFrom('annotation').select('transcript_id').distinct().orderBy('transcript_id').execute()
    )
      .slice(0, 10)
      .map((r) => r.transcript_id);
    await server.db.deleteFrom('annotation').where('transcript_id', 'in', gone).execute();
    const after = await reportAndSweep();
    expect([after.report.transcripts, after.report.report.overall.metrics.n, after.sweep.transcripts]).toEqual([
      50, 50, 50,
    ]);
    expect(after.report.dataVersion).not.toBe(first.report.dataVersion);
    // The sweep at the judge's own threshold (4) is the report's pass/fail kappa on the same data.
    expect(after.sweep.sweep.find((s) => s.threshold === 4)!.kappa).toBeCloseTo(
      after.report.report.overall.metrics.passKappa!,
      12,
    );
  });
});
