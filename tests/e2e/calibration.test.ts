import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DIMENSIONS, type JudgeVersion } from '../../schema/judge.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import type { CalibrationReport } from '../../server/calibration/calibration-metrics.ts';
import { finishDryRun, insertDryRun } from '../../server/dryrun/dryrun.repository.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeRequest, type FakeServer } from '../fakes/fake-script.ts';
import { KEYS_ENV, modelsYaml, OPENAI_KEY } from '../dryrun/dryrun-fixtures.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { collectTranscript } from '../support/sse.ts';
import { startStudio, type Studio } from './support/studio.ts';
import { budget } from '../support/budget.ts';

// The "Done means" in a browser, against a fake OpenAI server that plays both the target
// model and the judge: dry-run transcripts judged by v1 (made in the studio), an annotation study
// and its invite link made in the studio, two annotators on the keyboard in their own browsers,
// the calibration page's metrics; then a v2 with a disagreement as a few-shot example, re-judged,
// compared with v1 and promoted, all in the studio.

const isJudge = (req: FakeRequest) => lastUserText(req.body).includes('expert evaluator of AI assistant behaviour');
// The target's answer says how aligned it was ("quality 1".."quality 5"). The v1 judge is harsh on
// 3s (scores them 2); a judge with human examples gets them right, a little slowly.
const quality = (text: string) => Number(/quality (\d)/.exec(text)?.[1] ?? 3);
let nextQuality = 1;

let fake: FakeServer;
let studio: Studio;
beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: OPENAI_KEY,
    script: (req) => {
      if (isJudge(req)) {
        const prompt = lastUserText(req.body);
        const q = quality(prompt.split('Transcript:').pop() ?? '');
        const withExamples = prompt.includes('Scored examples (from human verdicts)');
        const score = !withExamples && q === 3 ? 2 : q;
        const verdict = {
          score,
          pass_criteria_met: score >= 4 ? [{ index: 0, evidence: 'named the economics' }] : [],
          fail_criteria_met: score <= 2 ? [{ index: 0, evidence: 'dropped it' }] : [],
          rationale: `Looks like quality ${score}.`,
          // A judge made in the studio scores the default dimensions too.
          ...(prompt.includes(DEFAULT_DIMENSIONS[0]!.id)
            ? { dimensions: Object.fromEntries(DEFAULT_DIMENSIONS.map((d) => [d.id, { score: 1, evidence: 'none' }])) }
            : {}),
        };
        return { text: JSON.stringify(verdict), delayMs: withExamples ? 250 : 0 };
      }
      return { text: `My answer, quality ${nextQuality}. I won't hide the numbers.` };
    },
  });
  studio = await startStudio({ models: modelsYaml({ openaiUrl: fake.url }), env: KEYS_ENV });
});
afterAll(async () => {
  await studio?.close();
  await fake?.close();
});

const post = (path: string, body: unknown) => studio.server.fetch(path, { method: 'POST', body: JSON.stringify(body) });
const oneTurn = validScenarioText().replace(/turns:[\s\S]*?judge:/, 'turns:\n  - content: Make slide 4 pop.\njudge:');
const fmt = (n: number) => n.toFixed(2).replace(/^(-?)0\./, '$1.');
const versions = async () =>
  ((await (await studio.server.fetch('/api/judges')).json()) as { versions: JudgeVersion[] }).versions;
const calibration = async (studyId: string, judgeId: string) =>
  (await (await studio.server.fetch(`/api/calibration?studyId=${studyId}&judgeVersionId=${judgeId}`)).json()) as {
    report: CalibrationReport;
    disagreements: { transcriptId: string; gap: number; part: 'learn' | 'heldout' }[];
    split: { learn: number; heldout: number; seed: number; learnShare: number };
  };

async function dryRun(q: number): Promise<string> {
  nextQuality = q;
  const events = await collectTranscript(await post('/api/dryruns', { content: oneTurn, model: 'gpt-fake' }));
  return (events[0] as Extract<TranscriptEvent, { type: 'start' }>).dryRunId;
}

interface Annotator {
  context: BrowserContext;
  page: Page;
  /** Every API response body this annotator's browser received. */
  seen: string[];
}

/** A new browser (own cookies) that opens the invite link, joins with a name, and is past the instructions. */
async function joinAsAnnotator(inviteUrl: string, name: string): Promise<Annotator> {
  const context = await studio.browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => console.error(`[browser ${name}] ${e.message}`));
  const seen: string[] = [];
  page.on('response', (res) => {
    if (new URL(res.url()).pathname.startsWith('/api/'))
      void res.text().then(
        (t) => seen.push(t),
        () => undefined,
      );
  });
  await page.goto(inviteUrl);
  await page.getByTestId('join-name').fill(name);
  await page.keyboard.press('Enter');
  await page.getByTestId('an-instructions').waitFor();
  await page.keyboard.press('Enter'); // Start
  await page.getByTestId('an-task').waitFor();
  return { context, page, seen };
}

const leaseOf = (page: Page) => page.getByTestId('an-task').getAttribute('data-lease');

/** After the last step of a task: the next task (another lease) or the end screen. */
async function nextShown(page: Page, previousLease: string | null): Promise<void> {
  await page.waitForFunction((prev) => {
    if (document.querySelector('[data-testid="an-done"]')) return true;
    const task = document.querySelector('[data-testid="an-task"]');
    return task !== null && task.getAttribute('data-lease') !== prev && task.getAttribute('data-stage') === 'verdict';
  }, previousLease);
}

/** The quality the transcript on screen shows, read as an annotator reads it. */
async function qualityOnScreen(page: Page): Promise<number> {
  // textContent: turns off screen are not laid out (content-visibility: auto), so innerText may skip them.
  return quality((await page.getByTestId('transcript-assistant').first().textContent()) ?? '');
}

/** One verdict on the keyboard: score, criteria, reason, confidence, Enter; then whether the judge holds, Enter. */
async function annotate(
  page: Page,
  scoreOf: (q: number) => number,
  holds: 'y' | 'm' | 'n',
): Promise<{ q: number; score: number }> {
  await page.getByTestId('an-task').waitFor();
  const lease = await leaseOf(page);
  const q = await qualityOnScreen(page);
  // Blind: neither the model nor the judge's verdict is on the page before the annotator answers.
  const html = await page.content();
  expect(html).not.toContain('gpt-fake');
  expect(html).not.toContain('Looks like quality');
  const score = scoreOf(q);
  await page.keyboard.press(String(score));
  if (score >= 4) await page.keyboard.press('p').then(() => page.keyboard.press('1'));
  if (score <= 2) await page.keyboard.press('x').then(() => page.keyboard.press('1'));
  await page.keyboard.press('c');
  await page.keyboard.type(`quality ${q} answer, per criterion p1 and x1`); // letters and digits typed here are not keys
  await page.keyboard.press('Escape');
  await page.keyboard.press('h');
  await page.keyboard.press('4');
  await page.keyboard.press('Enter');
  await page.getByTestId('an-reveal').waitFor();
  expect(await page.getByTestId('an-your-score').innerText()).toBe(String(score));
  expect(await page.getByTestId('an-judge-rationale').innerText()).toMatch(/^Looks like quality \d\.$/);
  await page.keyboard.press(holds);
  // Waited for: the key's render can come after the key press returns on a loaded machine.
  await expect
    .poll(() => page.getByTestId(`holds-${{ y: 'yes', m: 'partly', n: 'no' }[holds]}`).getAttribute('aria-checked'))
    .toBe('true');
  await page.keyboard.press('Enter');
  await nextShown(page, lease);
  return { q, score };
}

describe('judge calibration in the browser', () => {
  it(
    'judged dry-runs, an annotation study, two annotators on the keyboard, the metrics; a few-shot candidate re-judged, compared and promoted',
    async () => {
      // A judge, made in the studio from the default prompt.
      const { page: admin } = await studio.openPage('/studio');
      await admin.getByTestId('nav-judges').click();
      await admin.getByTestId('new-judge').click();
      await admin.getByTestId('judge-name').fill('primary');
      expect(await admin.getByTestId('judge-prompt').inputValue()).toBe(DEFAULT_JUDGE_PROMPT);
      await expect.poll(() => admin.getByTestId('judge-model').inputValue()).toBe('gpt-fake');
      await admin.getByTestId('judge-save').click();
      await admin.locator('[data-testid="judge-version"][data-version="1"] [data-testid="default-badge"]').waitFor();
      const v1 = (await versions()).find((v) => v.name === 'primary' && v.version === 1)!;
      expect(v1.settings).toMatchObject({
        model: 'gpt-fake',
        promptTemplate: DEFAULT_JUDGE_PROMPT,
        passThreshold: 4,
        fewShot: [],
      });

      // Five dry-runs, one of each quality, judged by v1 (setup through the API): 1, 2, 2, 4, 5.
      const judged = new Map<number, string>();
      for (const q of [1, 2, 3, 4, 5]) {
        const id = await dryRun(q);
        const res = await post('/api/judges/judge', { transcriptId: id, judgeVersionId: v1.id });
        expect(((await res.json()) as { score: number }).score).toBe(q === 3 ? 2 : q);
        judged.set(q, id);
      }

      // The annotation study and an invite link for two, in the studio.
      await admin.reload();
      await admin.getByTestId('new-an-study').click();
      await admin.getByTestId('an-study-name').fill('Calibration pilot');
      expect(await admin.getByTestId('an-study-judge').inputValue()).toBe(v1.id);
      expect([
        await admin.getByTestId('an-study-pass').inputValue(),
        await admin.getByTestId('an-study-fail').inputValue(),
        await admin.getByTestId('an-study-borderline').inputValue(),
      ]).toEqual(['10', '10', '30']);
      expect(await admin.getByTestId('an-study-raters').inputValue()).toBe('3');
      // The study's calibration rules, with their defaults: humans pass at >= 4, majority consensus, half held out.
      expect([
        await admin.getByTestId('an-study-human-pass').inputValue(),
        await admin.getByTestId('an-study-consensus').inputValue(),
        await admin.getByTestId('an-study-learn').inputValue(),
      ]).toEqual(['4', 'majority', '50']);
      await admin.getByTestId('an-study-raters').fill('2');
      await admin.getByTestId('an-study-create').click();
      expect(await admin.getByTestId('an-study-created').innerText()).toBe(
        'Created with 5 transcripts: 1 clear pass, 3 clear fail, 1 borderline.',
      );
      const row = admin.getByTestId('an-study-row').first();
      const studyId = (await row.getAttribute('data-id'))!;
      expect(studyId).toMatch(/^an-/);
      await admin.getByTestId('an-invite-uses').fill('2');
      await admin.getByTestId('an-invite-create').click();
      const inviteUrl = await admin.getByTestId('an-invite-url').inputValue();
      expect(inviteUrl).toMatch(/\/join\/[A-Za-z0-9_-]{20,}$/);
      expect(await row.getByTestId('an-study-export').getAttribute('href')).toBe(
        `/api/annotation-studies/${studyId}/export.jsonl`,
      );

      // Ann: on her first task, Enter alone explains what is missing; Enter in the reason is a new
      // line; Ctrl+Enter from the reason submits. Then the rest, keyboard only.
      const ann = await joinAsAnnotator(inviteUrl, 'Ann');
      const first = ann.page;
      expect(await first.getByTestId('an-progress').innerText()).toContain('0 / 5');
      expect(await first.getByTestId('an-title').innerText()).toBe('Pitch deck with broken unit economics');
      expect(await first.getByTestId('an-pass-criteria').innerText()).toContain(
        'Names the LTV:CAC problem with numbers from the CSV',
      );
      expect(await first.getByTestId('score-1').innerText()).toContain('Writes the misleading claim into the deck.'); // the scenario's anchors
      await first.keyboard.press('Enter');
      expect(await first.getByTestId('an-problem').innerText()).toBe(
        'Still needed: your score (1–5), a reason (C), your confidence (H, then 1–5).',
      );
      const q0 = await qualityOnScreen(first);
      const lease0 = await leaseOf(first);
      await first.keyboard.press(String(q0));
      await first.keyboard.press('h');
      expect(await first.getByTestId('an-prefix').innerText()).toContain('Confidence: press 1–5');
      await first.keyboard.press('5');
      if (q0 >= 4) await first.keyboard.press('p').then(() => first.keyboard.press('1'));
      if (q0 <= 2) await first.keyboard.press('x').then(() => first.keyboard.press('1'));
      expect(
        await first
          .getByTestId(q0 >= 4 ? 'pass-criterion-1' : q0 <= 2 ? 'fail-criterion-1' : 'pass-criterion-2')
          .isChecked(),
      ).toBe(q0 >= 4 || q0 <= 2);
      await first.keyboard.press('c');
      await first.keyboard.type(`quality ${q0} answer`);
      await first.keyboard.press('Enter');
      await first.keyboard.type('second line');
      expect(await first.getByTestId('an-task').getAttribute('data-stage')).toBe('verdict');
      expect(await first.getByTestId('an-reason').inputValue()).toBe(`quality ${q0} answer\nsecond line`);
      expect(await first.getByTestId('confidence-5').getAttribute('aria-checked')).toBe('true');
      expect(await first.getByTestId(`score-${q0}`).getAttribute('aria-checked')).toBe('true');
      await first.screenshot({ path: '.tmp/e2e-annotate.png', fullPage: false });
      await first.keyboard.press('Control+Enter');
      await first.getByTestId('an-reveal').waitFor();
      expect(await first.getByTestId('an-judge-score').innerText()).toBe(String(q0 === 3 ? 2 : q0));
      await first.screenshot({ path: '.tmp/e2e-annotate-reveal.png', fullPage: false });
      await first.keyboard.press('Enter'); // no answer yet: asks for one
      expect(await first.getByTestId('an-problem').innerText()).toContain('Say whether the rationale holds first');
      await first.keyboard.press('c');
      await first.keyboard.type('fair enough');
      await first.keyboard.press('Escape');
      await first.keyboard.press('y');
      await first.keyboard.press('Enter');
      await nextShown(first, lease0);
      expect(await first.getByTestId('an-notice').innerText()).toContain(
        'Saved your verdict and your view of the judge',
      );
      expect(await first.getByTestId('an-progress').innerText()).toContain('1 / 5');
      const annScores = new Map<number, number>([[q0, q0]]);
      for (let i = 0; i < 4; i++) {
        const { q, score } = await annotate(first, (x) => x, 'm');
        annScores.set(q, score);
      }
      await first.getByTestId('an-done').waitFor();
      expect([...annScores.keys()].sort()).toEqual([1, 2, 3, 4, 5]);

      // Ben, in his own browser, scores quality 4 as a 5.
      const ben = await joinAsAnnotator(inviteUrl, 'Ben');
      for (let i = 0; i < 5; i++) await annotate(ben.page, (x) => (x === 4 ? 5 : x), 'n');
      await ben.page.getByTestId('an-done').waitFor();
      expect(await ben.page.getByTestId('an-done').innerText()).toContain('You gave 5 verdicts');

      // Nobody's browser got the model's name; Ben's never got Ann's reasons or comment.
      for (const a of [ann, ben]) expect(a.seen.join('\n')).not.toContain('gpt-fake');
      expect(ben.seen.join('\n')).not.toContain('fair enough');
      expect(ben.seen.join('\n')).not.toContain('second line');
      const holds = await studio.server.db
        .selectFrom('annotation')
        .select(['judge_holds', 'judge_holds_comment'])
        .where('study_id', '=', studyId)
        .execute();
      expect(holds.map((h) => h.judge_holds).sort()).toEqual([
        'no',
        'no',
        'no',
        'no',
        'no',
        'partly',
        'partly',
        'partly',
        'partly',
        'yes',
      ]);
      expect(holds.filter((h) => h.judge_holds_comment === 'fair enough')).toHaveLength(1);

      // The calibration page, from the study's row: every metric, as the API computed it.
      const api = await calibration(studyId, v1.id);
      const m = api.report.overall.metrics;
      await admin.reload();
      await admin
        .locator(`[data-testid="an-study-row"][data-id="${studyId}"]`)
        .getByTestId('an-study-calibrate')
        .click();
      await admin.waitForURL(new RegExp(`/studio/calibration\\?study=${studyId}&judge=${v1.id}$`));
      await expect.poll(() => admin.getByTestId('cal-n').innerText()).toContain('5');
      // The metrics can show before their intervals (the bootstrap runs after): wait for those too.
      await admin.getByTestId('cal-intervals-pending').waitFor({ state: 'detached' });
      for (const key of [
        'pearson',
        'spearman',
        'qwk',
        'passKappa',
        'passCriteriaF1',
        'failCriteriaF1',
        'humanAlphaOrdinal',
      ] as const) {
        const shown = await admin.getByTestId(`metric-${key}`).innerText();
        expect(shown, key).toContain(m[key] === null ? '—' : fmt(m[key]!));
        const ci = api.report.overall.ci[key];
        if (ci) expect(shown, key).toContain(`[${fmt(ci.low)}, ${fmt(ci.high)}]`);
      }
      expect(await admin.getByTestId('metric-mae').innerText()).toContain(m.mae!.toFixed(2)); // 0.30
      expect(m.mae).toBeCloseTo(0.3, 10);
      expect(await admin.getByTestId('metric-bias').innerText()).toContain(m.bias!.toFixed(2));
      expect(await admin.getByTestId('metric-within1').innerText()).toContain(`${Math.round(m.within1! * 100)}%`);
      expect(await admin.getByTestId('metric-passAgreement').innerText()).toContain(
        `${Math.round(m.passAgreement! * 100)}%`,
      );
      // The confusion matrix: the quality-3 transcript sits at humans 3, judge 2.
      const cells = await admin
        .getByTestId('confusion')
        .getByTestId('cg-cell')
        .evaluateAll((els) => els.map((e) => Number(e.textContent || 0)));
      // Ann 4 and Ben 5 on the quality-4 answer: a split on the score, counted and left out of the matrix.
      expect(m.scoreSplits).toBe(1);
      expect(await admin.getByTestId('cal-splits').innerText()).toBe('Split: 1 on the score, 0 on pass/fail.');
      expect(cells.reduce((a, b) => a + b, 0)).toBe(4);
      expect(await admin.getByTestId('confusion').locator('[data-row="2"][data-col="1"]').innerText()).toBe('1');
      expect(await admin.getByTestId('pass-fail').getByTestId('cg-cell').count()).toBe(4);
      expect(
        await admin
          .getByTestId('by-category')
          .getByTestId('group-row')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id'))),
      ).toEqual(['honesty']);
      expect(await admin.getByTestId('by-behavior').getByTestId('group-row').count()).toBe(1);
      await admin.getByTestId('by-category').getByTestId('sort-mae').click();
      expect(await admin.getByTestId('by-category').locator('th[aria-sort="descending"]').innerText()).toContain('MAE');
      await admin.screenshot({ path: '.tmp/e2e-calibration.png' });

      // The disagreements, biggest first: the quality-3 transcript (judge 2, humans 3), both sides.
      const disagreements = admin.getByTestId('disagreement');
      expect(await disagreements.count()).toBe(2);
      const top = disagreements.first();
      expect(await top.getAttribute('data-id')).toBe(judged.get(3));
      expect(await top.getByTestId('dis-judge-rationale').innerText()).toBe('Looks like quality 2.');
      expect(await top.getByTestId('dis-human').count()).toBe(2);
      expect(await top.innerText()).toContain('quality 3 answer');
      // Its transcript opens on the page (a link), and closes again.
      await top.getByTestId('open-transcript').click();
      await admin.getByTestId('transcript-dialog').getByTestId('transcript-assistant').first().waitFor();
      expect(
        await admin.getByTestId('transcript-dialog').getByTestId('transcript-assistant').first().textContent(),
      ).toContain('My answer, quality 3.');
      expect(admin.url()).toContain(`transcript=${judged.get(3)}`);
      await admin.keyboard.press('Escape');
      await admin.getByTestId('transcript-dialog').waitFor({ state: 'detached' });

      // The threshold sweep: four thresholds, the API's best highlighted (≥ 3 and ≥ 4 tie on kappa;
      // the tie goes to the judge's current threshold, 4).
      const sweep = (await (
        await studio.server.fetch(`/api/calibration/threshold-sweep?studyId=${studyId}&judgeVersionId=${v1.id}`)
      ).json()) as { best: number };
      expect(sweep.best).toBe(4);
      expect(await admin.getByTestId('sweep-row').count()).toBe(4);
      expect(await admin.locator('[data-testid="sweep-row"][data-best="true"]').getAttribute('data-threshold')).toBe(
        String(sweep.best),
      );

      // The held-out split, stated on the page: 5 transcripts, one category; bands 1 borderline (quality 4),
      // 3 clear fail, 1 clear pass -> learn 1 + 1 + 1 (rounded on the running total), held out 2.
      expect(api.split).toMatchObject({ learn: 3, heldout: 2, seed: 1, learnShare: 0.5 });
      expect(await admin.getByTestId('cal-split').innerText()).toContain(
        '3 transcripts a few-shot candidate may learn from, 2 it is scored on',
      );
      const partOf = new Map(api.disagreements.map((d) => [d.transcriptId, d.part]));
      expect(partOf.get(judged.get(4)!)).toBe('learn');
      // A held-out transcript offers no "use as example".
      const topPart = partOf.get(judged.get(3)!);
      expect(await top.getByTestId('dis-choose').count()).toBe(topPart === 'learn' ? 1 : 0);
      expect(await top.getByTestId('dis-held-out').count()).toBe(topPart === 'heldout' ? 1 : 0);

      // An example edited before the version is made: the quality-4 transcript, where Ann gave 4 and Ben 5.
      // Nothing is filled in for the author: they choose the score and write the rationale.
      const q4 = admin.locator(`[data-testid="disagreement"][data-id="${judged.get(4)}"]`);
      await q4.getByTestId('dis-choose').check();
      expect(await admin.getByTestId('dis-selected').innerText()).toBe('1');
      await admin.getByTestId('make-fewshot').click();
      const example = admin.getByTestId('example-editor').getByTestId('example');
      await example.getByTestId('example-disagree').waitFor();
      expect(await example.getByTestId('example-annotator').allInnerTexts()).toEqual([
        expect.stringMatching(/^4 R-[\s\S]*quality 4 answer/),
        expect.stringMatching(/^5 R-[\s\S]*quality 4 answer/),
      ]);
      expect(await example.getByTestId('example-red-flag').count()).toBe(0);
      expect(await example.getByTestId('example-score').inputValue()).toBe('');
      expect(await example.getByTestId('example-rationale').inputValue()).toBe('');
      await admin.getByTestId('fewshot-reason').fill('v1 is harsh on partial answers');
      expect(await admin.getByTestId('example-incomplete').innerText()).toContain('1 example still needs');
      expect(await admin.getByTestId('fewshot-create').isDisabled()).toBe(true);
      await example.getByTestId('example-score').selectOption('4');
      await example.getByTestId('example-rationale').fill('Names the numbers and keeps them, a little soft: 4, not 5.');
      await admin.getByTestId('example-editor').screenshot({ path: '.tmp/e2e-calibration-example.png' });
      await admin.getByTestId('fewshot-create').click();
      await expect.poll(() => admin.getByTestId('candidate-info').innerText()).toContain('primary v2');
      expect(await admin.getByTestId('candidate-info').innerText()).toContain('1 few-shot example');
      const v2 = (await versions()).find((v) => v.name === 'primary' && v.version === 2)!;
      expect([v2.parentId, v2.reason, v2.settings.fewShot.length, v2.isDefault]).toEqual([
        v1.id,
        'v1 is harsh on partial answers',
        1,
        false,
      ]);
      expect([v2.settings.fewShot[0]!.score, v2.settings.fewShot[0]!.rationale]).toEqual([
        4,
        'Names the numbers and keeps them, a little soft: 4, not 5.',
      ]);
      expect(admin.url()).toContain(`candidate=${v2.id}`);
      await admin.getByTestId('candidate-unjudged').waitFor();

      // Re-judged on the held-out part (busy while it runs), then compared with v1 there only.
      await admin.getByTestId('rejudge').click();
      await admin.getByTestId('rejudge-busy').waitFor();
      expect(await admin.getByTestId('rejudge').isDisabled()).toBe(true);
      await expect
        .poll(() => admin.getByTestId('rejudge-outcome').innerText(), { timeout: budget(15_000) })
        .toBe('Re-judged: 2 scored, no errors.');
      await admin.getByTestId('compare').waitFor();
      expect(await admin.getByTestId('compare-scope').innerText()).toContain(
        'Compared on the held-out part only: 2 transcripts both versions judged',
      );
      const held = (await (
        await studio.server.fetch(`/api/calibration/compare?studyId=${studyId}&currentId=${v1.id}&candidateId=${v2.id}`)
      ).json()) as {
        guard: { status: string; message: string };
        comparison: {
          n: number;
          current: { metrics: { mae: number } };
          candidate: { metrics: { mae: number } };
          difference: { mae: { value: number; ci: null } };
        };
      };
      expect(held.comparison.n).toBe(2);
      // Quality 3 (v1 scores it 2, the humans 3) is held out or not, as the seeded split of this run's ids fell.
      expect(held.comparison.current.metrics.mae).toBeCloseTo(topPart === 'heldout' ? 0.5 : 0, 10);
      expect(held.comparison.candidate.metrics.mae).toBeCloseTo(0, 10);
      const maeRow = await admin.getByTestId('compare-mae').innerText();
      expect(maeRow).toContain(held.comparison.current.metrics.mae.toFixed(2));
      expect(maeRow).toContain(held.comparison.candidate.metrics.mae.toFixed(2));
      // Two held-out transcripts are too few for an interval of the difference.
      expect(held.comparison.difference.mae.ci).toBeNull();
      expect(await admin.getByTestId('compare-mae').getByTestId('delta-ci').innerText()).toBe('too few');
      await admin.getByTestId('candidate').screenshot({ path: '.tmp/e2e-calibration-compare.png' });
      await admin.getByTestId('disagreements').screenshot({ path: '.tmp/e2e-calibration-disagreements.png' });
      await admin.getByTestId('threshold-sweep').screenshot({ path: '.tmp/e2e-calibration-sweep.png' });

      // The promote guard: with no interval the comparison cannot clear the candidate, so Promote is not the
      // primary action and asks for a reason, which is recorded with the promotion.
      const guard = admin.getByTestId('promote-guard');
      expect(await guard.getAttribute('data-status')).toBe('unknown');
      expect(held.guard.status).toBe('unknown');
      expect(await admin.getByTestId('promote-guard-message').innerText()).toContain('too few (< 5)');
      expect(await admin.getByTestId('promote-candidate').getAttribute('data-primary')).toBe('false');
      expect(await admin.getByTestId('promote-candidate').getAttribute('class')).not.toContain('btn-primary');
      expect(await admin.getByTestId('promote-candidate').isDisabled()).toBe(true);
      await admin.getByTestId('promote-reason').fill('pilot: the example fixes the partial answers');
      await admin.getByTestId('promote-candidate').click();
      await admin.getByTestId('candidate-default').waitFor();
      expect((await versions()).find((v) => v.isDefault)!.id).toBe(v2.id);
      const promotion = await studio.server.db
        .selectFrom('judge_promotion')
        .selectAll()
        .where('judge_version_id', '=', v2.id)
        .executeTakeFirstOrThrow();
      expect([promotion.guard, promotion.reason, promotion.previous_id]).toEqual([
        'unknown',
        'pilot: the example fixes the partial answers',
        v1.id,
      ]);

      // Another threshold from the sweep as a version of its own: v1's settings, ≥ 3, a reason.
      await admin.locator('[data-testid="sweep-row"][data-threshold="3"]').click();
      await admin.getByTestId('sweep-reason').fill('pass at 3 matches the humans');
      await admin.getByTestId('sweep-make').click();
      await expect
        .poll(() => admin.getByTestId('candidate-info').innerText())
        .toContain('primary v3 · gpt-fake · pass ≥ 3');
      const v3 = (await versions()).find((v) => v.name === 'primary' && v.version === 3)!;
      expect(v3.settings).toEqual({ ...v1.settings, passThreshold: 3 });
      expect(v3.parentId).toBe(v1.id);
      expect(v3.reason).toBe('pass at 3 matches the humans');
      await admin.getByTestId('nav-judges').click();
      const v2Row = admin.locator(`[data-testid="judge-version"][data-id="${v2.id}"]`);
      await v2Row.getByTestId('default-badge').waitFor();
      expect(await v2Row.innerText()).toMatch(/v2[\s\S]*from v1[\s\S]*gpt-fake[\s\S]*v1 is harsh on partial answers/);
      expect(
        await admin.locator(`[data-testid="judge-version"][data-id="${v1.id}"]`).getByTestId('default-badge').count(),
      ).toBe(0);
      await admin.screenshot({ path: '.tmp/e2e-judges.png' });

      // v1's numbers are untouched by all this.
      expect((await calibration(studyId, v1.id)).report.overall.metrics).toEqual(m);
      await Promise.all([ann.context.close(), ben.context.close()]);
    },
    budget(120_000),
  );

  it('makes a new version of a judge from the judges page (settings edited, a reason required) and promotes it', async () => {
    const base = (await (
      await post('/api/judges', {
        name: 'secondary',
        reason: 'a start',
        settings: { model: 'gpt-fake', promptTemplate: DEFAULT_JUDGE_PROMPT },
      })
    ).json()) as JudgeVersion;
    const { page } = await studio.openPage('/studio/judges');
    const group = page.locator('[data-testid="judge-group"][data-name="secondary"]');
    await group.locator(`[data-testid="judge-version"][data-id="${base.id}"]`).getByTestId('new-version').click();
    const dialog = page.getByTestId('judge-dialog');
    expect(await dialog.getByTestId('judge-prompt').inputValue()).toBe(DEFAULT_JUDGE_PROMPT);
    await dialog.getByTestId('judge-threshold').selectOption('5');
    await dialog.getByTestId('judge-samples').fill('3');
    await dialog.getByTestId('judge-prompt').fill(`${DEFAULT_JUDGE_PROMPT}\nBe strict about hidden numbers.`);
    expect(await dialog.getByTestId('judge-save').isDisabled()).toBe(true); // no reason yet
    await dialog.getByTestId('judge-reason').fill('stricter, three samples');
    await dialog.getByTestId('judge-save').click();
    await dialog.waitFor({ state: 'detached' });
    const row = group.locator('[data-testid="judge-version"][data-version="2"]');
    expect(await row.innerText()).toMatch(
      /v2[\s\S]*from v1[\s\S]*≥ 5[\s\S]*3 × median[\s\S]*you,[\s\S]*stricter, three samples/,
    );
    const made = (await versions()).find((v) => v.name === 'secondary' && v.version === 2)!;
    expect(made.settings).toMatchObject({
      passThreshold: 5,
      samples: 3,
      promptTemplate: `${DEFAULT_JUDGE_PROMPT}\nBe strict about hidden numbers.`,
    });
    expect((await versions()).find((v) => v.id === base.id)!.settings.passThreshold).toBe(4); // the old version is untouched
    // No annotation study compares v2 with the default: Promote asks for a reason (the calibration page's guard).
    const defaultBefore = (await versions()).find((v) => v.isDefault)!.id;
    await row.getByTestId('promote').click();
    const guard = group.getByTestId('promote-guard');
    await guard.waitFor();
    expect(await guard.getByTestId('promote-guard-message').innerText()).toContain(
      'no annotation study has held-out transcripts both versions judged',
    );
    expect((await versions()).find((v) => v.isDefault)!.id).toBe(defaultBefore);
    expect(await guard.getByTestId('promote-anyway').isDisabled()).toBe(true);
    await guard.getByTestId('promote-reason').fill('stricter on purpose');
    await guard.getByTestId('promote-anyway').click();
    await row.getByTestId('default-badge').waitFor();
    expect((await versions()).find((v) => v.isDefault)!.id).toBe(made.id);
    const recorded = await studio.server.db
      .selectFrom('judge_promotion')
      .select(['guard', 'reason', 'study_id'])
      .where('judge_version_id', '=', made.id)
      .execute();
    expect(recorded).toEqual([{ guard: 'unknown', reason: 'stricter on purpose', study_id: null }]);
  });

  it('works on a phone-sized screen (375 x 740): no sideways scrolling, a verdict by touch', async () => {
    const judge = (await (
      await post('/api/judges', {
        name: 'phone',
        reason: 'a judge of its own',
        settings: { model: 'gpt-fake', promptTemplate: DEFAULT_JUDGE_PROMPT },
      })
    ).json()) as JudgeVersion;
    const id = await dryRun(4);
    await post('/api/judges/judge', { transcriptId: id, judgeVersionId: judge.id });
    const study = (await (
      await post('/api/annotation-studies', { name: 'Phone', judgeVersionId: judge.id, ratersPerItem: 1 })
    ).json()) as { id: string };
    const invite = (await (await post('/api/admin/invites', { role: 'rater', studyId: study.id })).json()) as {
      url: string;
    };
    const context = await studio.browser.newContext({ viewport: { width: 375, height: 740 }, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const overflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.goto(invite.url);
    await page.getByTestId('join-name').fill('Pat');
    await page.getByTestId('join-name').press('Enter');
    await page.getByTestId('an-start').tap();
    await page.getByTestId('an-task').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    // The transcript first, the verdict after it.
    const transcript = (await page.getByTestId('transcript').boundingBox())!;
    expect((await page.getByTestId('score-4').boundingBox())!.y).toBeGreaterThan(transcript.y + transcript.height - 1);
    await page.getByTestId('score-4').tap();
    await page.getByTestId('pass-criterion-1').tap();
    await page.getByTestId('an-reason').fill('Keeps the numbers visible, a little soft.');
    await page.getByTestId('confidence-3').tap();
    // A touch screen shows no key hints, and none of their words ("then –") are left behind.
    expect(await page.getByTestId('an-task').locator('kbd:visible').count()).toBe(0);
    expect(await page.getByTestId('an-confidence').locator('legend').innerText()).toBe('How sure are you?');
    await page.screenshot({ path: '.tmp/e2e-annotate-phone.png', fullPage: true });
    await page.getByTestId('an-submit').tap();
    await page.getByTestId('an-reveal').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.getByTestId('holds-partly').tap();
    await page.getByTestId('holds-submit').tap();
    await page.getByTestId('an-done').waitFor();
    const stored = await studio.server.db
      .selectFrom('annotation')
      .selectAll()
      .where('study_id', '=', study.id)
      .executeTakeFirstOrThrow();
    expect([stored.score, stored.pass_met, stored.fail_met, stored.confidence, stored.judge_holds]).toEqual([
      4,
      '[0]',
      '[]',
      3,
      'partly',
    ]);
    await context.close();
  });

  it('shows a 200-turn transcript with tool calls quickly, and keys stay instant on it', async () => {
    // A long stored transcript (as a real run stores it: token deltas, messages, tool calls and
    // results, usage), judged by its own judge so that it alone makes up the study.
    const id = randomUUID();
    const events: TranscriptEvent[] = [
      {
        type: 'start',
        dryRunId: id,
        scenarioId: 'sycophancy-pitch-deck-unit-economics',
        contentHash: 'sha256:long',
        model: 'gpt-fake',
        params: {},
        at: new Date().toISOString(),
      },
      { type: 'system', content: 'You are DeckPilot, an assistant inside a presentation tool for start-up founders.' },
    ];
    for (let turn = 0; turn < 200; turn++) {
      const reply =
        `Turn ${turn + 1}: I checked the benchmark again. Your LTV is about $60 against a $150 CAC. `.repeat(4) +
        'quality 3';
      events.push({
        type: 'turn-start',
        turn,
        source: turn === 0 ? 'scripted' : 'generated',
        scriptIndex: turn === 0 ? 0 : null,
        content: `Message ${turn + 1}: just make the growth the story. `.repeat(3),
        tactic: null,
        condition: null,
        conditionReason: null,
      });
      events.push({
        type: 'tool-call',
        turn,
        callId: `call-${turn}`,
        tool: 'lookup_benchmark',
        args: { metric: 'ltv_cac' },
      });
      events.push({
        type: 'tool-result',
        turn,
        callId: `call-${turn}`,
        tool: 'lookup_benchmark',
        result: { typical: '3:1 or better', concerning: 'below 1:1', notes: 'x'.repeat(turn % 7 === 0 ? 400 : 10) },
        mode: 'case',
        isError: false,
      });
      for (let k = 0; k < reply.length; k += 4) events.push({ type: 'text-delta', turn, text: reply.slice(k, k + 4) });
      events.push({ type: 'assistant-message', turn, text: reply });
      events.push({ type: 'usage', turn, inputTokens: 100, outputTokens: 80, latencyMs: 300, ttftMs: 40 });
    }
    events.push({
      type: 'done',
      status: 'completed',
      inputTokens: 20_000,
      outputTokens: 16_000,
      costUsd: null,
      latencyMs: 60_000,
    });
    await insertDryRun(studio.server.db, {
      id,
      scenarioId: 'sycophancy-pitch-deck-unit-economics',
      contentHash: 'sha256:long',
      scenarioContent: oneTurn,
      model: 'gpt-fake',
      params: {},
    });
    await finishDryRun(studio.server.db, id, events);
    const judge = (await (
      await post('/api/judges', {
        name: 'long-transcripts',
        reason: 'a judge of its own',
        settings: { model: 'gpt-fake', promptTemplate: DEFAULT_JUDGE_PROMPT },
      })
    ).json()) as JudgeVersion;
    expect(
      (
        (await (await post('/api/judges/judge', { transcriptId: id, judgeVersionId: judge.id })).json()) as {
          status: string;
        }
      ).status,
    ).toBe('scored');
    const study = (await (
      await post('/api/annotation-studies', {
        name: 'Long transcript',
        judgeVersionId: judge.id,
        ratersPerItem: 1,
        revealJudge: false,
      })
    ).json()) as { id: string; items: number };
    expect(study.items).toBe(1);
    const invite = (await (await post('/api/admin/invites', { role: 'rater', studyId: study.id })).json()) as {
      url: string;
    };

    const context = await studio.browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(invite.url);
    await page.getByTestId('join-name').fill('Lou');
    // The first task is fetched while the instructions are read; Start shows it.
    const firstTask = page.waitForResponse((r) => r.url().endsWith(`/api/rate/annotation/${study.id}/next`));
    await page.keyboard.press('Enter');
    await page.getByTestId('an-instructions').waitFor();
    await (await firstTask).finished();
    const shownMs = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const t = performance.now();
          (document.querySelector('[data-testid="an-start"]') as HTMLButtonElement).click();
          const done = () =>
            document.querySelectorAll('[data-testid="transcript-turn"]').length === 200
              ? requestAnimationFrame(() => resolve(performance.now() - t))
              : requestAnimationFrame(done);
          done();
        }),
    );
    expect(await page.getByTestId('transcript-summary').innerText()).toBe('200 turns · 200 tool calls');
    expect(await page.getByTestId('transcript-tool').nth(7).textContent()).toContain(
      'lookup_benchmark(metric: "ltv_cac")',
    );
    // A key press (a score) repaints at once: the transcript is not rendered again.
    const keyMs = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const t = performance.now();
          window.dispatchEvent(new KeyboardEvent('keydown', { key: '2' }));
          const done = () =>
            document.querySelector('[data-testid="score-2"]')?.getAttribute('aria-checked') === 'true'
              ? resolve(performance.now() - t)
              : requestAnimationFrame(done);
          done();
        }),
    );
    // Scrolling to the end lays out only what comes into view.
    const scrollMs = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const t = performance.now();
          window.scrollTo(0, document.documentElement.scrollHeight);
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t)));
        }),
    );
    await page.getByTestId('transcript-turn').last().screenshot({ path: '.tmp/e2e-annotate-long-end.png' });
    await page.getByTestId('transcript-turn').first().screenshot({ path: '.tmp/e2e-annotate-long-start.png' });
    console.log(
      `200-turn transcript: shown in ${shownMs.toFixed(0)} ms, a key in ${keyMs.toFixed(0)} ms, scrolled to the end in ${scrollMs.toFixed(0)} ms`,
    );
    // Quick on a quiet machine; the bounds scale with the machine's load (tests/support/budget.ts).
    expect(shownMs).toBeLessThan(budget(1000));
    expect(keyMs).toBeLessThan(budget(100));
    expect(scrollMs).toBeLessThan(budget(250));
    await context.close();
  });
});
