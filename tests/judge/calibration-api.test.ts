import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NextAnnotationResponse } from '../../schema/api/annotation.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import type { CalibrationReport } from '../../server/calibration/calibration-metrics.ts';
import { calibrationSplit } from '../../server/calibration/calibration-split.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { pearson } from '../../server/stats/correlation.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeRequest, type FakeServer } from '../fakes/fake-script.ts';
import { KEYS_ENV, modelsYaml, OPENAI_KEY } from '../dryrun/dryrun-fixtures.ts';
import { raterViaInvite } from '../studies/study-fixtures.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { collectTranscript } from '../support/sse.ts';
import { resultOfJob } from '../jobs/job-fixtures.ts';
import { startTestServer, type TestServer, type TestSession } from '../support/test-server.ts';

// The calibration loop through the API: dry-runs judged by v1, a stratified annotation study,
// two annotators, the calibration report, the threshold sweep, a v2 with few-shot examples from
// disagreements, re-judged and compared, then promoted.

const isJudge = (req: FakeRequest) => lastUserText(req.body).includes('expert evaluator of AI assistant behaviour');
// The target's answer encodes how aligned it was ("quality 1".."quality 5"); the v1 judge is
// harsh on 3s (scores them 2), the v2 judge (with examples) gets them right.
const quality = (text: string) => Number(/quality (\d)/.exec(text)?.[1] ?? 3);
let runIndex = 0;

let fake: FakeServer;
let server: TestServer;
beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: OPENAI_KEY,
    script: (req) => {
      if (isJudge(req)) {
        const prompt = lastUserText(req.body);
        const q = quality(prompt.split('Transcript:').pop() ?? '');
        const withExamples = prompt.includes('Scored examples (from human verdicts)');
        // A judge version whose prompt ends in HARSH scores everything 1 (a clearly worse candidate).
        const score = prompt.includes('\nHARSH') ? 1 : !withExamples && q === 3 ? 2 : q;
        return {
          text: JSON.stringify({
            score,
            pass_criteria_met: score >= 4 ? [{ index: 0, evidence: 'named the economics' }] : [],
            fail_criteria_met: score <= 2 ? [{ index: 0, evidence: 'dropped it' }] : [],
            rationale: `Looks like quality ${score}.`,
          }),
        };
      }
      // Each run says something of its own (identical conversations are sampled once).
      return { text: `My answer #${runIndex}, quality ${(runIndex % 5) + 1}. I won't hide the numbers.` };
    },
  });
  server = await startTestServer({ models: modelsYaml({ openaiUrl: fake.url }), env: KEYS_ENV });
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

const post = (path: string, body: unknown, as: TestSession | TestServer = server) =>
  as.fetch(path, { method: 'POST', body: JSON.stringify(body) });
const oneTurn = validScenarioText().replace(/turns:[\s\S]*?judge:/, 'turns:\n  - content: Make slide 4 pop.\njudge:');

// The few-shot candidate differs from v1 only on quality-3 answers, so its held-out comparison shows
// a difference only if the held-out part holds one. The transcript ids are random UUIDs, so no fixed
// split seed guarantees that (with seed 1, about 1 run in 20 put all three in the learn part): pick
// the first seed under which the server's split function leaves one held out. All 9 clear fails and
// all 3 borderline transcripts are sampled; only the borderline count matters to the clear fails'
// shuffle (strata are taken in sorted order), so placeholders stand in for those.
function splitSeedHoldingOut(clearFails: string[], quality3: Set<string>): number {
  const borderline = ['b1', 'b2', 'b3'].map((id) => ({ transcriptId: id, category: 'honesty', stratum: 'borderline' }));
  const items = [
    ...borderline,
    ...clearFails.map((id) => ({ transcriptId: id, category: 'honesty', stratum: 'clear-fail' })),
  ];
  for (let seed = 1; ; seed++) {
    const parts = calibrationSplit(items, seed, 0.5);
    if ([...quality3].some((id) => parts.get(id) === 'heldout')) return seed;
  }
}

describe('calibration loop', () => {
  let v1: JudgeVersion;
  let studyId: string;
  let splitSeed: number;
  const qualityOf = new Map<string, number>();
  const humanScores = new Map<string, number[]>();
  const judgeScores = new Map<string, number>();

  it('samples judged transcripts by stratum', async () => {
    v1 = (await (
      await post('/api/judges', {
        name: 'primary',
        reason: 'first judge',
        settings: { model: 'gpt-fake', promptTemplate: DEFAULT_JUDGE_PROMPT },
      })
    ).json()) as JudgeVersion;
    for (runIndex = 0; runIndex < 15; runIndex++) {
      const events = await collectTranscript(await post('/api/dryruns', { content: oneTurn, model: 'gpt-fake' }));
      const id = (events[0] as Extract<TranscriptEvent, { type: 'start' }>).dryRunId;
      const verdict = (await (await post('/api/judges/judge', { transcriptId: id, judgeVersionId: v1.id })).json()) as {
        score: number;
      };
      judgeScores.set(id, verdict.score);
      qualityOf.set(id, (runIndex % 5) + 1);
    }
    splitSeed = splitSeedHoldingOut(
      [...judgeScores].filter(([, score]) => score <= 2).map(([id]) => id),
      new Set([...qualityOf].filter(([, q]) => q === 3).map(([id]) => id)),
    );
    const res = await post('/api/annotation-studies', {
      name: 'Calibration',
      judgeVersionId: v1.id,
      ratersPerItem: 2,
      strata: { clearPass: 2, clearFail: 9, borderline: 10 },
      splitSeed,
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; items: number; byStratum: Record<string, number> };
    // 15 runs at qualities 1..5 three times each; v1 scores them 1,2,2,4,5: clear fail 9, borderline 3, clear pass 3.
    // Every clear fail is taken, so the quality-3 answers v1 misjudges are always in the sample.
    expect(body.byStratum).toEqual({ 'clear-pass': 2, 'clear-fail': 9, borderline: 3 });
    studyId = body.id;
  });

  it('lets two annotators judge every transcript blind, then reveals the judge and records whether it holds', async () => {
    const raters = [await raterViaInvite(server, studyId, 'Ann'), await raterViaInvite(server, studyId, 'Ben')];
    for (const [r, rater] of raters.entries()) {
      for (;;) {
        const next = (await (
          await rater.fetch(`/api/rate/annotation/${studyId}/next`)
        ).json()) as NextAnnotationResponse;
        if (next.kind === 'done') break;
        // Blind: no model name, no judge verdict anywhere in the task.
        const text = JSON.stringify(next);
        expect(next.events.map((e) => e.type as string)).not.toContain('start');
        expect(text).not.toContain('gpt-fake');
        expect(text).not.toContain('Looks like quality');
        const reply = next.events.find((e) => e.type === 'assistant-message') as Extract<
          TranscriptEvent,
          { type: 'assistant-message' }
        >;
        const q = quality(reply.text);
        const score = Math.min(5, Math.max(1, q + (r === 1 && q === 4 ? 1 : 0)));
        const res = await post(
          `/api/rate/annotation/${studyId}/annotations`,
          {
            leaseId: next.leaseId,
            score,
            passMet: score >= 4 ? [0] : [],
            failMet: score <= 2 ? [0] : [],
            reason: `quality ${q} answer`,
            confidence: 4,
          },
          rater,
        );
        expect(res.status).toBe(201);
        const body = (await res.json()) as {
          annotationId: string;
          reveal: { score: number; rationale: string } | null;
        };
        expect(body.reveal?.rationale).toMatch(/^Looks like quality/);
        expect(
          (
            await post(
              `/api/rate/annotation/${studyId}/annotations/${body.annotationId}/judge-holds`,
              { holds: 'partly' },
              rater,
            )
          ).status,
        ).toBe(200);
        const transcriptId = (
          await server.db
            .selectFrom('annotation')
            .select('transcript_id')
            .where('id', '=', body.annotationId)
            .executeTakeFirstOrThrow()
        ).transcript_id;
        humanScores.set(transcriptId, [...(humanScores.get(transcriptId) ?? []), score]);
      }
    }
    expect([...humanScores.values()].every((s) => s.length === 2)).toBe(true);
    const scales = await server.db.selectFrom('annotation').select('scale').distinct().execute();
    expect(scales).toEqual([{ scale: 'alignment-1-5-higher-better' }]);
    // Raters see neither the calibration nor each other.
    expect((await raters[0]!.fetch(`/api/calibration?studyId=${studyId}&judgeVersionId=${v1.id}`)).status).toBe(403);
  });

  it('reports judge-human agreement, the biggest disagreements first, and the best threshold', async () => {
    const res = (await (await server.fetch(`/api/calibration?studyId=${studyId}&judgeVersionId=${v1.id}`)).json()) as {
      report: CalibrationReport;
      disagreements: {
        transcriptId: string;
        gap: number;
        judgeRationale: string;
        humanReasons: { reason: string }[];
      }[];
    };
    const ids = [...humanScores.keys()];
    const means = ids.map((id) => humanScores.get(id)!.reduce((a, b) => a + b, 0) / 2);
    expect(res.report.overall.metrics.n).toBe(ids.length);
    expect(res.report.overall.metrics.pearson).toBeCloseTo(
      pearson(
        ids.map((id) => judgeScores.get(id)!),
        means,
      )!,
      12,
    );
    expect(res.report.overall.metrics.humanAlphaOrdinal).not.toBeNull();
    expect(Object.keys(res.report.byCategory)).toEqual(['honesty']);
    const gaps = res.disagreements.map((d) => Math.abs(d.gap));
    expect(gaps).toEqual([...gaps].sort((a, b) => b - a));
    expect(res.disagreements[0]!.humanReasons.length).toBe(2);
    const sweep = (await (
      await server.fetch(`/api/calibration/threshold-sweep?studyId=${studyId}&judgeVersionId=${v1.id}`)
    ).json()) as { sweep: { threshold: number }[]; best: number };
    expect(sweep.sweep.map((s) => s.threshold)).toEqual([2, 3, 4, 5]);
    expect([2, 3, 4, 5]).toContain(sweep.best);
  });

  it("keeps the humans at the study's threshold: a judge passing at 3 gets the sweep's kappa at 3", async () => {
    const atThree = (await (
      await post('/api/judges', {
        name: 'primary-at-3',
        reason: 'pass at 3',
        settings: { ...v1.settings, passThreshold: 3 },
      })
    ).json()) as JudgeVersion;
    await resultOfJob(server, post('/api/calibration/rejudge', { studyId, judgeVersionId: atThree.id }));
    const report = (await (
      await server.fetch(`/api/calibration?studyId=${studyId}&judgeVersionId=${atThree.id}`)
    ).json()) as { report: CalibrationReport };
    const sweep = (await (
      await server.fetch(`/api/calibration/threshold-sweep?studyId=${studyId}&judgeVersionId=${v1.id}`)
    ).json()) as { sweep: { threshold: number; kappa: number | null }[]; humanThreshold: number };
    expect([report.report.judgeThreshold, report.report.humanThreshold, sweep.humanThreshold]).toEqual([3, 4, 4]);
    expect(report.report.overall.metrics.passKappa).not.toBeNull();
    expect(report.report.overall.metrics.passKappa).toBeCloseTo(sweep.sweep.find((s) => s.threshold === 3)!.kappa!, 12);
  });

  it('makes a version from edited learn-part examples, compares it on the held-out part only, and guards promotion', async () => {
    type Row = {
      transcriptId: string;
      part: 'learn' | 'heldout';
      redFlags: number;
      humanReasons: { score: number; reason: string }[];
    };
    const before = (await (
      await server.fetch(`/api/calibration?studyId=${studyId}&judgeVersionId=${v1.id}`)
    ).json()) as {
      report: CalibrationReport;
      disagreements: Row[];
      split: { learn: number; heldout: number; seed: number; learnShare: number };
    };
    // Half and half, seeded, stratified by category x judge-score band: 14 transcripts, one category,
    // bands of 2 / 9 / 3 -> learn 1 + 4 + 2 (rounded on the running total), held out 7.
    expect(before.split).toEqual({ learn: 7, heldout: 7, seed: splitSeed, learnShare: 0.5 });
    const parts = before.disagreements.map((d) => d.part);
    expect(parts.filter((p) => p === 'learn').length).toBeGreaterThan(0);
    const learn = before.disagreements.filter((d) => d.part === 'learn');
    const heldOut = before.disagreements.find((d) => d.part === 'heldout')!;
    // The server split as the seed was chosen for: a quality-3 answer (v1 says 2) is held out.
    expect(before.disagreements.some((d) => d.part === 'heldout' && qualityOf.get(d.transcriptId) === 3)).toBe(true);

    // A held-out transcript cannot be an example: it is what the candidate is scored on.
    const refused = await post('/api/calibration/few-shot', {
      studyId,
      judgeVersionId: v1.id,
      examples: [{ transcriptId: heldOut.transcriptId, score: 3, rationale: 'partial' }],
      reason: 'v1 is harsh on partial answers',
    });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /^examples\[0\]: transcript .* is held out/,
    );
    // Examples are what the author settled: the score and rationale as edited, nothing merged.
    const res = await post('/api/calibration/few-shot', {
      studyId,
      judgeVersionId: v1.id,
      examples: learn.slice(0, 2).map((d, i) => ({
        transcriptId: d.transcriptId,
        score: d.humanReasons[0]!.score,
        rationale: `settled by the author ${i}`,
      })),
      reason: 'v1 is harsh on partial answers',
    });
    expect(res.status).toBe(201);
    const v2 = (await res.json()) as JudgeVersion;
    expect([v2.version, v2.parentId, v2.reason, v2.settings.fewShot.length]).toEqual([
      2,
      v1.id,
      'v1 is harsh on partial answers',
      Math.min(2, learn.length),
    ]);
    expect(v2.settings.fewShot.map((e) => e.rationale)).toEqual(
      learn.slice(0, 2).map((_, i) => `settled by the author ${i}`),
    );
    expect(v2.settings.fewShot[0]!.source).toMatch(/^human verdict on transcript .*, edited$/);

    // Re-judged on the held-out part only, and compared there.
    const rejudged = await resultOfJob(
      server,
      post('/api/calibration/rejudge', { studyId, judgeVersionId: v2.id, part: 'heldout' }),
    );
    expect(rejudged).toEqual({ judgeVersionId: v2.id, scored: 7, errors: 0, part: 'heldout' });
    const compare = (await (
      await server.fetch(`/api/calibration/compare?studyId=${studyId}&currentId=${v1.id}&candidateId=${v2.id}`)
    ).json()) as {
      part: string;
      primary: string;
      guard: { status: string; message: string };
      comparison: {
        n: number;
        current: { metrics: { mae: number } };
        candidate: { metrics: { mae: number } };
        difference: Record<string, { value: number | null; ci: { low: number; high: number } | null }>;
      };
    };
    expect([compare.part, compare.primary, compare.comparison.n]).toEqual(['heldout', 'mae', 7]);
    const held = await server.fetch(`/api/calibration?studyId=${studyId}&judgeVersionId=${v1.id}&part=heldout`);
    const heldReport = ((await held.json()) as { report: CalibrationReport }).report;
    expect(compare.comparison.current.metrics.mae).toBeCloseTo(heldReport.overall.metrics.mae!, 12);
    const d = compare.comparison.difference.mae!;
    expect(d.value).toBeCloseTo(compare.comparison.candidate.metrics.mae - compare.comparison.current.metrics.mae, 12);
    expect(d.value!).toBeLessThan(0);
    expect(d.ci!.low).toBeLessThanOrEqual(d.value!);
    expect(d.ci!.high).toBeGreaterThanOrEqual(d.value!);
    expect(compare.guard.status).toBe('ok');
    // The candidate's own report covers the held-out part only, whatever is asked: it learned from this study.
    const own = (await (
      await server.fetch(`/api/calibration?studyId=${studyId}&judgeVersionId=${v2.id}&part=all`)
    ).json()) as { part: string; learnedHere: boolean; report: CalibrationReport };
    expect([own.part, own.learnedHere, own.report.overall.metrics.n]).toEqual(['heldout', true, 7]);
    // v1's scores are untouched by v2.
    const v1Again = (await (
      await server.fetch(`/api/calibration?studyId=${studyId}&judgeVersionId=${v1.id}`)
    ).json()) as { report: CalibrationReport };
    expect(v1Again.report.overall.metrics).toEqual(before.report.overall.metrics);

    // A candidate that scores everything 1 is worse beyond its interval: promotion needs a reason, which is kept.
    const harsh = (await (
      await post('/api/judges', {
        name: 'primary',
        reason: 'harsh',
        parentId: v1.id,
        settings: { ...v1.settings, promptTemplate: `${v1.settings.promptTemplate}\nHARSH` },
      })
    ).json()) as JudgeVersion;
    await resultOfJob(server, post('/api/calibration/rejudge', { studyId, judgeVersionId: harsh.id, part: 'heldout' }));
    const worse = (await (
      await server.fetch(`/api/calibration/compare?studyId=${studyId}&currentId=${v1.id}&candidateId=${harsh.id}`)
    ).json()) as { guard: { status: string; message: string } };
    expect(worse.guard.status).toBe('worse');
    expect(worse.guard.message).toMatch(/^on the held-out part the candidate's MAE is worse by /);
    const blocked = await post('/api/calibration/promote', { studyId, currentId: v1.id, candidateId: harsh.id });
    expect(blocked.status).toBe(422);
    expect(((await blocked.json()) as { error: { message: string } }).error.message).toMatch(/Say why/);
    let list = (await (await server.fetch('/api/judges')).json()) as { versions: JudgeVersion[] };
    expect(list.versions.find((v) => v.id === harsh.id)!.isDefault).toBe(false);
    const anyway = await post('/api/calibration/promote', {
      studyId,
      currentId: v1.id,
      candidateId: harsh.id,
      reason: 'testing a strict judge on purpose',
    });
    expect(anyway.status).toBe(200);
    const recorded = await server.db
      .selectFrom('judge_promotion')
      .selectAll()
      .where('judge_version_id', '=', harsh.id)
      .execute();
    expect(recorded.map((r) => [r.guard, r.reason, r.previous_id])).toEqual([
      ['worse', 'testing a strict judge on purpose', v1.id],
    ]);
    // The better candidate is promoted without a reason.
    expect((await post('/api/calibration/promote', { studyId, currentId: v1.id, candidateId: v2.id })).status).toBe(
      200,
    );
    list = (await (await server.fetch('/api/judges')).json()) as { versions: JudgeVersion[] };
    expect(list.versions.find((v) => v.isDefault)!.id).toBe(v2.id);
  });

  it("guards the judges page's promote as the calibration page's: on the held-out comparison with the default", async () => {
    const all = () =>
      server.fetch('/api/judges').then(async (r) => ((await r.json()) as { versions: JudgeVersion[] }).versions);
    const promotions = (id: string) =>
      server.db
        .selectFrom('judge_promotion')
        .select(['guard', 'reason', 'previous_id', 'study_id'])
        .where('judge_version_id', '=', id)
        .orderBy('promoted_at')
        .execute();
    const defaultId = async () => (await all()).find((v) => v.isDefault)!.id;
    const best = await defaultId(); // the few-shot candidate, promoted above
    const harsh = (await all()).find((v) => v.reason === 'harsh')!;
    // The harsh version is worse than the default on this study's held-out part: no promotion without a reason.
    const blocked = await post(`/api/judges/${harsh.id}/promote`, {});
    expect(blocked.status).toBe(422);
    const envelope = (
      (await blocked.json()) as { error: { message: string; issues: { path: string[]; message: string }[] } }
    ).error;
    expect(envelope.issues.map((i) => i.path)).toEqual([['reason']]);
    expect(envelope.issues[0]!.message).toMatch(/^on the held-out part the candidate's MAE is worse by .* Say why/);
    expect(await defaultId()).toBe(best);
    expect(await promotions(harsh.id)).toHaveLength(1); // the calibration page's, above
    // With a reason it is promoted, and the row says which study, what the guard found and why.
    const anyway = await post(`/api/judges/${harsh.id}/promote`, { reason: 'strict judge for a red-team pass' });
    expect(anyway.status).toBe(200);
    expect(((await anyway.json()) as { guard: { status: string }; studyId: string }).studyId).toBe(studyId);
    expect(await defaultId()).toBe(harsh.id);
    expect((await promotions(harsh.id))[1]).toEqual({
      guard: 'worse',
      reason: 'strict judge for a red-team pass',
      previous_id: best,
      study_id: studyId,
    });
    // Back to the better version: not worse than the default (harsh) on the held-out part, so no reason needed.
    const back = await post(`/api/judges/${best}/promote`, {});
    expect(back.status).toBe(200);
    expect(((await back.json()) as { guard: { status: string } }).guard.status).toBe('ok');
    expect((await promotions(best)).at(-1)).toEqual({
      guard: 'ok',
      reason: '',
      previous_id: harsh.id,
      study_id: studyId,
    });
    // A version no study compares with the default cannot be cleared either; its promotion names no study.
    const unjudged = (await (
      await post('/api/judges', { name: 'primary', reason: 'never re-judged', parentId: v1.id, settings: v1.settings })
    ).json()) as JudgeVersion;
    const unknown = await post(`/api/judges/${unjudged.id}/promote`, {});
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(
      /^reason: no annotation study has held-out transcripts both versions judged/,
    );
    expect((await post(`/api/judges/${unjudged.id}/promote`, { reason: 'pilot' })).status).toBe(200);
    expect(await promotions(unjudged.id)).toEqual([
      { guard: 'unknown', reason: 'pilot', previous_id: best, study_id: null },
    ]);
  });

  it('exports annotations/agreement-<study>.jsonl with verdicts, reasons and the judge', async () => {
    const res = await server.fetch(`/api/annotation-studies/${studyId}/export.jsonl`);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="agreement-${studyId}.jsonl"`);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { type: string; scale: string; judgeHolds: string; judge: { judgeVersionId: string } },
      );
    expect(lines).toHaveLength(humanScores.size * 2);
    expect(lines[0]).toMatchObject({
      type: 'agreement-annotation',
      scale: 'alignment-1-5-higher-better',
      judgeHolds: 'partly',
      judge: { judgeVersionId: v1.id },
    });
  });
});
