import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import jsYaml from 'js-yaml';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudyResults } from '../../schema/api/studies.ts';
import { contentHash } from '../../server/scenarios/scenario.row.ts';
import { krippendorffAlpha } from '../../server/stats/krippendorff.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { createRealismStudy, nextTask, rate, rateNext, raterViaInvite } from './study-fixtures.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ shippedCorpus: true });
});
afterEach(() => server.close());

const results = async (id: string, excludeFlagged = true) =>
  (await (await server.fetch(`/api/studies/${id}/results?excludeFlagged=${excludeFlagged}`)).json()) as StudyResults;
const ratingRows = (studyId: string) =>
  server.db.selectFrom('realism_rating').selectAll().where('study_id', '=', studyId).execute();

describe('realism study: assignment and leases', () => {
  it('gives a rater the scenario as the model meets it, never the rubric, title or summary', async () => {
    const id = await createRealismStudy(server, { filter: { behavior: 'privacy-protection' } });
    const rater = await raterViaInvite(server, id);
    const task = await nextTask(rater, id);
    expect(task.kind).toBe('task');
    if (task.kind !== 'task') return;
    const text = JSON.stringify(task.scenario);
    expect(task.scenario.system.length).toBeGreaterThan(20);
    expect(task.scenario.turns.length).toBeGreaterThan(0);
    for (const hidden of [
      'pass_criteria',
      'fail_criteria',
      'red_flags',
      'aligned',
      'misaligned',
      'summary',
      'tactic',
      'anchors',
    ])
      expect(text).not.toContain(hidden);
    const scenarioId = (
      await server.db.selectFrom('lease').select('scenario_id').where('id', '=', task.leaseId).executeTakeFirstOrThrow()
    ).scenario_id;
    const title = (
      await server.db.selectFrom('scenario').select('title').where('id', '=', scenarioId).executeTakeFirstOrThrow()
    ).title;
    expect(text).not.toContain(title);
    // Asking again returns the same task: one lease per rater.
    expect(((await nextTask(rater, id)) as { leaseId: string }).leaseId).toBe(task.leaseId);
  });

  it('never over-fills a scenario: leases count as taken slots; an abandoned lease returns to the pool', async () => {
    const id = await createRealismStudy(server, {
      filter: { q: 'sycophancy-pitch-deck-unit-economics' },
      ratersPerItem: 2,
    });
    const [a, b, c] = [
      await raterViaInvite(server, id, 'A'),
      await raterViaInvite(server, id, 'B'),
      await raterViaInvite(server, id, 'C'),
    ];
    expect((await nextTask(a, id)).kind).toBe('task');
    expect((await nextTask(b, id)).kind).toBe('task');
    expect(await nextTask(c, id)).toMatchObject({ kind: 'done', reason: 'no-more-tasks' });
    // A abandons: the lease runs out and C gets the slot.
    await server.db
      .updateTable('lease')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .where('rater_id', '=', a.user.id)
      .execute();
    expect((await nextTask(c, id)).kind).toBe('task');
  });

  it('does not give a rater a scenario they edited', async () => {
    const author = await server.signIn('author');
    const id = await createRealismStudy(server, { filter: { q: 'sycophancy-pitch-deck-unit-economics' } });
    await server.db
      .insertInto('scenario_editor')
      .values({ scenario_id: 'sycophancy-pitch-deck-unit-economics', user_id: author.user.id })
      .execute();
    expect(await nextTask(author, id)).toMatchObject({ kind: 'done', reason: 'no-more-tasks' });
  });

  it('spreads a rater across categories', async () => {
    const id = await createRealismStudy(server, {});
    const rater = await raterViaInvite(server, id);
    const categories: string[] = [];
    for (let i = 0; i < 6; i++) {
      const scenarioId = await rateNext(server, rater, id, 4);
      categories.push(
        (
          await server.db
            .selectFrom('scenario')
            .select('category')
            .where('id', '=', scenarioId)
            .executeTakeFirstOrThrow()
        ).category,
      );
    }
    expect(new Set(categories).size).toBe(6);
  });
});

describe('POST /api/rate/studies/:id/ratings: bad input changes nothing', () => {
  let id: string;
  beforeEach(async () => {
    id = await createRealismStudy(server, { filter: { behavior: 'sycophancy' } });
  });

  it('stores one row for a double submit', async () => {
    const rater = await raterViaInvite(server, id);
    const task = await nextTask(rater, id);
    if (task.kind !== 'task') throw new Error('no task');
    const [first, second] = await Promise.all([
      rate(rater, id, { leaseId: task.leaseId, realism: 4 }),
      rate(rater, id, { leaseId: task.leaseId, realism: 4 }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    const rows = await ratingRows(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.scale).toBe('realism-1-5-higher-more-realistic');
  });

  for (const [what, body, message] of [
    ['an out-of-range rating (6)', { realism: 6 }, /realism is 1 to 5/],
    ['an out-of-range rating (0)', { realism: 0 }, /realism is 1 to 5/],
    ['a fractional rating', { realism: 3.5 }, /expected int/],
    ['an oversized comment', { realism: 3, comment: 'x'.repeat(2001) }, /at most 2000 characters/],
    ['a forged rater id', { realism: 3, raterId: 'someone-else' }, /Unrecognized key.*raterId/],
    ['an unknown flag', { realism: 3, flags: [{ kind: 'boring' }] }, /^flags\[0\]\.kind: /],
  ] as const) {
    it(`rejects ${what}`, async () => {
      const rater = await raterViaInvite(server, id);
      const task = await nextTask(rater, id);
      if (task.kind !== 'task') throw new Error('no task');
      const res = await rate(rater, id, { leaseId: task.leaseId, ...body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
      expect(await ratingRows(id)).toHaveLength(0);
    });
  }

  it('rejects a submit without a lease', async () => {
    const rater = await raterViaInvite(server, id);
    const res = await rate(rater, id, { leaseId: randomUUID(), realism: 3 });
    expect(res.status).toBe(404);
    expect(await ratingRows(id)).toHaveLength(0);
  });

  it("rejects a submit on another rater's lease, revealing nothing", async () => {
    const [a, b] = [await raterViaInvite(server, id, 'A'), await raterViaInvite(server, id, 'B')];
    const task = await nextTask(a, id);
    if (task.kind !== 'task') throw new Error('no task');
    const res = await rate(b, id, { leaseId: task.leaseId, realism: 1 });
    expect(res.status).toBe(404);
    expect(await ratingRows(id)).toHaveLength(0);
  });

  it('rejects a rating of a version that was edited meanwhile, and offers the new version', async () => {
    const rater = await raterViaInvite(server, id);
    const task = await nextTask(rater, id);
    if (task.kind !== 'task') throw new Error('no task');
    const lease = await server.db
      .selectFrom('lease')
      .selectAll()
      .where('id', '=', task.leaseId)
      .executeTakeFirstOrThrow();
    const doc = (await (await server.fetch(`/api/scenarios/${lease.scenario_id}`)).json()) as {
      content: string;
      hash: string;
    };
    // A turn is what the rater reads: editing it voids the task (a title edit would not, see below).
    const parsed = jsYaml.load(doc.content) as { turns: { content: string }[] };
    parsed.turns[0]!.content = `Edited while rated: ${parsed.turns[0]!.content}`;
    const edited = jsYaml.dump(parsed, { lineWidth: -1 });
    expect(
      (
        await server.fetch(`/api/scenarios/${lease.scenario_id}`, {
          method: 'PUT',
          body: JSON.stringify({ content: edited, baseHash: doc.hash }),
        })
      ).status,
    ).toBe(200);
    const res = await rate(rater, id, { leaseId: task.leaseId, realism: 5 });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /edited while you were rating/,
    );
    expect(await ratingRows(id)).toHaveLength(0);
    const again = await nextTask(rater, id);
    expect(again.kind).toBe('task');
  });

  it('keeps HTML and script in a comment as plain text', async () => {
    const rater = await raterViaInvite(server, id);
    const comment = '<img src=x onerror="alert(1)"><script>alert(2)</script> & "quotes"';
    await rateNext(server, rater, id, 2, {
      comment,
      flags: [{ kind: 'user-turn', turn: 1 }, { kind: 'obviously-a-test' }],
    });
    const r = await results(id);
    const withComment = r.scenarios.find((s) => s.comments.length > 0)!;
    expect(withComment.comments[0]).toEqual({
      pseudonym: rater.user.pseudonym,
      realism: 2,
      comment,
      flags: [{ kind: 'user-turn', turn: 1 }, { kind: 'obviously-a-test' }],
    });
    expect(withComment.flags).toEqual({ 'user-turn': 1, 'obviously-a-test': 1 });
  });
});

describe('results', () => {
  it('counts, means, medians, distributions, the acceptance rule and ordinal alpha', async () => {
    const id = await createRealismStudy(server, {
      filter: { behavior: 'privacy-protection' },
      ratersPerItem: 3,
      minRatings: 3,
      minMean: 3.5,
    });
    const raters = [
      await raterViaInvite(server, id, 'A'),
      await raterViaInvite(server, id, 'B'),
      await raterViaInvite(server, id, 'C'),
    ];
    // Each rater rates every scenario; scores chosen so some pass the rule and some do not.
    const byRater = [
      [5, 4, 2, 4, 5, 1],
      [4, 4, 2, 5, 5, 2],
      [5, 3, 1, 4, 4, 1],
    ];
    const given = new Map<string, number[]>();
    for (let round = 0; round < 6; round++) {
      for (const [r, rater] of raters.entries()) {
        const task = await nextTask(rater, id);
        if (task.kind !== 'task') throw new Error('no task');
        const scenarioId = (
          await server.db
            .selectFrom('lease')
            .select('scenario_id')
            .where('id', '=', task.leaseId)
            .executeTakeFirstOrThrow()
        ).scenario_id;
        // Score by scenario, not by round, so each scenario gets one column of byRater.
        const column =
          [...given.keys()].indexOf(scenarioId) === -1 ? given.size : [...given.keys()].indexOf(scenarioId);
        const value = byRater[r]![column]!;
        given.set(scenarioId, [...(given.get(scenarioId) ?? []), value]);
        expect((await rate(rater, id, { leaseId: task.leaseId, realism: value })).status).toBe(201);
      }
    }
    const r = await results(id);
    for (const [scenarioId, values] of given) {
      const s = r.scenarios.find((x) => x.scenarioId === scenarioId)!;
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      expect(s.n).toBe(3);
      expect(s.mean).toBeCloseTo(mean, 12);
      expect(s.median).toBe([...values].sort((a, b) => a - b)[1]);
      expect(s.distribution.reduce((a, b) => a + b, 0)).toBe(3);
      expect(s.validated).toBe(mean >= 3.5);
    }
    expect(r.alpha.overall).not.toBeNull();
    expect(r.alpha.ci!.low).toBeLessThanOrEqual(r.alpha.overall!);
    expect(r.alpha.ci!.high).toBeGreaterThanOrEqual(r.alpha.overall!);
    expect(Object.keys(r.alpha.byCategory)).toEqual(['safety']);
    expect(r.scale).toEqual({ name: 'realism', min: 1, max: 5, direction: 'higher is more realistic' });
    // The studio marks validated scenarios.
    const list = (await (await server.fetch('/api/scenarios?behavior=privacy-protection')).json()) as {
      items: { id: string; validated: boolean }[];
    };
    for (const s of r.scenarios) expect(list.items.find((i) => i.id === s.scenarioId)!.validated).toBe(s.validated);
    const shown = r.scenarios.find((s) => s.validated)!;
    expect(
      ((await (await server.fetch(`/api/scenarios/${shown.scenarioId}`)).json()) as { validated: boolean }).validated,
    ).toBe(true);

    // Six scenarios rated by three: alpha over all six, with an interval (>= 5 pairable scenarios).
    expect([r.alpha.units, r.alpha.minUnits]).toEqual([6, 5]);
    expect(r.alpha.overall).toBeCloseTo(krippendorffAlpha([...given.values()], 'ordinal')!, 12);
    expect(r.gold).toEqual({ scenarios: 0, ratings: 0, passed: 0, rate: null });
    // One of them becomes an attention check (expected 4-5): it leaves alpha, its pass rate is reported apart,
    // and with five scenarios left the interval stays; with four it would be "too few".
    const [goldId, goldValues] = [...given.entries()].find(([, v]) => v.every((x) => x >= 4))!;
    await server.fetch(`/api/studies/${id}/gold`, {
      method: 'PUT',
      body: JSON.stringify({ scenarioId: goldId, min: 5, max: 5 }),
    });
    const withGold = await results(id);
    const rest = [...given.entries()].filter(([sid]) => sid !== goldId).map(([, v]) => v);
    expect(withGold.alpha.overall).toBeCloseTo(krippendorffAlpha(rest, 'ordinal')!, 12);
    expect(withGold.alpha.overall).not.toBeCloseTo(r.alpha.overall!, 6);
    expect(withGold.alpha.units).toBe(5);
    expect(withGold.alpha.ci).not.toBeNull();
    expect(withGold.gold).toEqual({
      scenarios: 1,
      ratings: 3,
      passed: goldValues.filter((x) => x === 5).length,
      rate: goldValues.filter((x) => x === 5).length / 3,
    });
    const second = [...given.keys()].find((sid) => sid !== goldId)!;
    await server.fetch(`/api/studies/${id}/gold`, {
      method: 'PUT',
      body: JSON.stringify({ scenarioId: second, min: 1, max: 5 }),
    });
    const fewer = await results(id);
    expect([fewer.alpha.units, fewer.alpha.ci]).toEqual([4, null]);
    expect(fewer.alpha.overall).not.toBeNull();
  });

  it('flags raters who fail attention checks and can leave their ratings out', async () => {
    const id = await createRealismStudy(server, { filter: { behavior: 'sycophancy' }, maxAttentionFailures: 0 });
    const items = await server.db.selectFrom('study_item').select('scenario_id').where('study_id', '=', id).execute();
    for (const item of items)
      await server.fetch(`/api/studies/${id}/gold`, {
        method: 'PUT',
        body: JSON.stringify({ scenarioId: item.scenario_id, min: 4, max: 5 }),
      });
    const careless = await raterViaInvite(server, id, 'Careless');
    const careful = await raterViaInvite(server, id, 'Careful');
    await rateNext(server, careless, id, 1);
    await rateNext(server, careful, id, 5);
    const withAll = await results(id, false);
    expect(withAll.raters.find((r) => r.pseudonym === careless.user.pseudonym)).toMatchObject({
      attentionChecks: 1,
      attentionFailures: 1,
      flagged: true,
    });
    expect(withAll.raters.find((r) => r.pseudonym === careful.user.pseudonym)).toMatchObject({
      attentionFailures: 0,
      flagged: false,
    });
    expect(withAll.study.ratings).toBe(2);
    expect((await results(id, true)).study.ratings).toBe(1);
  });

  it('marks ratings stale only when what the rater saw changes, and puts the scenario back in the queue', async () => {
    const id = await createRealismStudy(server, {
      filter: { q: 'sycophancy-pitch-deck-unit-economics' },
      ratersPerItem: 1,
      minRatings: 1,
      minMean: 3,
    });
    const rater = await raterViaInvite(server, id);
    await rateNext(server, rater, id, 4);
    expect(await nextTask(rater, id)).toMatchObject({ kind: 'done' });
    const scenarioId = 'sycophancy-pitch-deck-unit-economics';
    const path = join(server.scenariosDir, `honesty/${scenarioId}.yaml`);
    const original = readFileSync(path, 'utf8');
    const preview = async (content: string) =>
      (await (
        await server.fetch(`/api/scenarios/${scenarioId}/stale-ratings`, {
          method: 'POST',
          body: JSON.stringify({ content }),
        })
      ).json()) as { ratings: number; studies: { id: string; name: string; ratings: number }[] };
    const validated = async () =>
      ((await (await server.fetch(`/api/scenarios/${scenarioId}`)).json()) as { validated: boolean }).validated;
    expect(await validated()).toBe(true);

    // Title, summary, tags, a YAML comment, the judge rubric and the formatting: raters never see them.
    const doc = jsYaml.load(original) as Record<string, unknown> & {
      judge: { pass_criteria: string[] };
      turns: { content: string }[];
    };
    const unseen =
      '# a note for authors\n' +
      jsYaml.dump(
        {
          ...doc,
          title: 'Changed on disk',
          summary: 'A different summary.',
          tags: ['retagged'],
          judge: { ...doc.judge, pass_criteria: [...doc.judge.pass_criteria, 'A new criterion'] },
        },
        { lineWidth: 60, indent: 4 },
      );
    // The export says what the rater saw (the view hash) and whether it is still what raters see.
    const exported = async () => {
      const line = (await (await server.fetch(`/api/studies/${id}/export.jsonl`)).text()).trim();
      const csv = (await (await server.fetch(`/api/studies/${id}/export.csv`)).text()).trim().split('\r\n');
      return { record: JSON.parse(line) as { raterViewHash: string; stale: boolean }, csvRow: csv[1]! };
    };
    const ratedView = (
      await server.db
        .selectFrom('realism_rating')
        .select('rater_view_hash')
        .where('study_id', '=', id)
        .executeTakeFirstOrThrow()
    ).rater_view_hash!;
    expect(ratedView).toMatch(/^view:[0-9a-f]{64}$/);
    expect(await preview(unseen)).toEqual({ ratings: 0, studies: [] });
    writeFileSync(path, unseen);
    await server.corpus.reindexFile(path);
    expect((await results(id)).scenarios[0]).toMatchObject({ n: 1, stale: 0, validated: true });
    expect(await validated()).toBe(true);
    const current = await exported();
    expect(current.record).toMatchObject({ raterViewHash: ratedView, stale: false });
    expect(current.csvRow.endsWith(`,${ratedView},false`)).toBe(true);

    // A user turn is what the rater read: the save is previewed as making the rating stale, then does.
    const seen = jsYaml.dump({
      ...doc,
      turns: [{ ...doc.turns[0]!, content: `${doc.turns[0]!.content} Now.` }, ...doc.turns.slice(1)],
    });
    expect(await preview(seen)).toEqual({ ratings: 1, studies: [{ id, name: 'Realism pilot', ratings: 1 }] });
    writeFileSync(path, seen);
    await server.corpus.reindexFile(path);
    expect((await results(id)).scenarios[0]).toMatchObject({ n: 0, stale: 1, validated: false });
    expect(await validated()).toBe(false);
    const stale = await exported();
    expect(stale.record).toMatchObject({ raterViewHash: ratedView, stale: true });
    expect(stale.csvRow.endsWith(`,${ratedView},true`)).toBe(true);
    const second = await raterViaInvite(server, id, 'Second');
    expect((await nextTask(second, id)).kind).toBe('task');
    writeFileSync(path, original);
    await server.corpus.reindexFile(path);
  });

  it('keeps ratings made before rater views were hashed current by their text, and records their view', async () => {
    const id = await createRealismStudy(server, {
      filter: { q: 'sycophancy-pitch-deck-unit-economics' },
      ratersPerItem: 1,
      minRatings: 1,
      minMean: 3,
    });
    const rater = await raterViaInvite(server, id, 'Old');
    await rateNext(server, rater, id, 5);
    // As a row from before the migration: no view hash.
    await server.db.updateTable('realism_rating').set({ rater_view_hash: null }).where('study_id', '=', id).execute();
    expect((await results(id)).scenarios[0]).toMatchObject({ n: 1, stale: 0 });
    const path = join(server.scenariosDir, 'honesty/sycophancy-pitch-deck-unit-economics.yaml');
    const original = readFileSync(path, 'utf8');
    // The index reads the version it was made on (as at the first start after the migration) and records its view.
    await server.corpus.reindexFile(path);
    const row = await server.db
      .selectFrom('realism_rating')
      .selectAll()
      .where('study_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.rater_view_hash).toMatch(/^view:[0-9a-f]{64}$/);
    writeFileSync(path, `# a comment\n${original}`);
    await server.corpus.reindexFile(path);
    expect((await results(id)).scenarios[0]).toMatchObject({ n: 1, stale: 0 });
    writeFileSync(path, original);
    await server.corpus.reindexFile(path);
  });
});

describe('export and import', () => {
  it('writes annotations/realism-<study>.jsonl and .csv; importing into a fresh instance reproduces the results', async () => {
    const id = await createRealismStudy(server, { filter: { category: 'robustness' }, ratersPerItem: 3 });
    const raters = [
      await raterViaInvite(server, id, 'A'),
      await raterViaInvite(server, id, 'B'),
      await raterViaInvite(server, id, 'C'),
    ];
    for (let round = 0; round < 4; round++)
      for (const [i, r] of raters.entries())
        await rateNext(server, r, id, ((round + i) % 5) + 1, {
          comment: round === 0 ? `comment, with "quotes" ${i}` : '',
        });
    const written = (await (await server.fetch(`/api/studies/${id}/export`, { method: 'POST' })).json()) as {
      files: string[];
      ratings: number;
    };
    expect(written).toEqual({
      files: [`annotations/realism-${id}.jsonl`, `annotations/realism-${id}.csv`],
      ratings: 12,
    });
    const jsonl = readFileSync(join(server.dir, written.files[0]!), 'utf8');
    const csv = readFileSync(join(server.dir, written.files[1]!), 'utf8');
    expect(jsonl.trim().split('\n')).toHaveLength(12);
    expect(JSON.parse(jsonl.split('\n')[0]!)).toMatchObject({
      type: 'realism-rating',
      scale: 'realism-1-5-higher-more-realistic',
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(csv.split('\r\n')[0]).toBe(
      'study_id,scenario_id,content_hash,category,behavior,rater,realism,flags,comment,gold_min,gold_max,leased_at,rated_at,variant_of,variant_values,rater_view_hash,stale',
    );
    expect(csv).toContain('"comment, with ""quotes"" 0"');
    expect(await (await server.fetch(`/api/studies/${id}/export.jsonl`)).text()).toBe(jsonl);

    const before = await results(id);
    const fresh = await startTestServer({ shippedCorpus: true });
    try {
      const imported = await fresh.fetch('/api/studies/import', { method: 'POST', body: JSON.stringify({ jsonl }) });
      expect(imported.status).toBe(201);
      const { id: newId } = (await imported.json()) as { id: string };
      const after = (await (await fresh.fetch(`/api/studies/${newId}/results`)).json()) as StudyResults;
      expect(after.scenarios.map(({ title: _t, ...s }) => s)).toEqual(before.scenarios.map(({ title: _t, ...s }) => s));
      expect(after.alpha).toEqual(before.alpha);
      // Names never leave the instance (exports carry pseudonyms): imported raters are named after theirs.
      const withoutName = (r: { name: string | null }) => ({ ...r, name: undefined });
      expect(after.raters.map(withoutName)).toEqual(before.raters.map(withoutName));
      for (const r of after.raters) expect(r.name).toBe(`${r.pseudonym} (imported)`);
    } finally {
      await fresh.close();
    }
  });

  it('refuses a malformed file, naming the line, and creates nothing', async () => {
    const res = await server.fetch('/api/studies/import', {
      method: 'POST',
      body: JSON.stringify({ jsonl: '{"type":"realism-rating"}\n' }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^line 1: /);
    expect(await server.db.selectFrom('study').selectAll().execute()).toEqual([]);
  });
});

describe('crowd raters (Prolific)', () => {
  it('creates a passwordless rater per participant and gives the completion code after the batch', async () => {
    const id = await createRealismStudy(server, { batchSize: 2, completionUrl: undefined });
    const arrive = () =>
      fetch(
        `${server.url}/api/rate/prolific/${id}?PROLIFIC_PID=5f1a2b3c4d5e6f7a8b9c0d1e&STUDY_ID=abc123&SESSION_ID=def456`,
        { redirect: 'manual' },
      );
    const res = await arrive();
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/rate/${id}`);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    await arrive();
    expect(
      await server.db.selectFrom('user').select('id').where('prolific_pid', '=', '5f1a2b3c4d5e6f7a8b9c0d1e').execute(),
    ).toHaveLength(1);

    const cookie = setCookie.split(';')[0]!;
    const me = (await (await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })).json()) as {
      csrfToken: string;
      role: string;
    };
    expect(me.role).toBe('rater');
    const session = {
      user: { id: '', role: 'rater' as const, pseudonym: '', name: '' },
      cookie,
      csrf: me.csrfToken,
      fetch: (p: string, init: RequestInit = {}) =>
        fetch(`${server.url}${p}`, {
          ...init,
          headers: { cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' },
        }),
    };
    await rateNext(server, session, id, 3);
    await rateNext(server, session, id, 4);
    const done = await nextTask(session, id);
    const study = await server.db
      .selectFrom('study')
      .select('completion_code')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(done).toEqual({
      kind: 'done',
      reason: 'batch-complete',
      progress: { done: 2, batchSize: 2 },
      completion: {
        code: study.completion_code,
        url: `https://app.prolific.com/submissions/complete?cc=${study.completion_code}`,
      },
    });
  });

  it('refuses a malformed participant id', async () => {
    const id = await createRealismStudy(server, {});
    const res = await fetch(`${server.url}/api/rate/prolific/${id}?PROLIFIC_PID=<script>`, { redirect: 'manual' });
    expect(res.status).toBe(400);
  });
});

void contentHash;
