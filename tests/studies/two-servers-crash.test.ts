import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database.ts';
import { budget } from '../support/budget.ts';
import { createTestDatabase, testBackend, type TestDatabase } from '../support/test-database.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// Two server processes on one PostgreSQL database, raters spread over both (each rater's requests
// alternate between them: sessions live in the database), and one process killed with SIGKILL in
// the middle of the burst. Every rating either process acknowledged must be stored, and no scenario
// may get more ratings than the study asks for, however the two processes interleaved. Several
// processes on one SQLite file are not a supported setup (README: PostgreSQL), so this runs in the
// postgres project only.

const RATERS_PER_ITEM = 2;
const json = { 'content-type': 'application/json' };
const servers: ServerProcess[] = [];
let dir = '';
let database: TestDatabase | null = null;

afterAll(async () => {
  for (const s of servers) s.child.kill('SIGKILL');
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.runIf(testBackend === 'postgres')('two server processes on one PostgreSQL database', () => {
  it(
    'keeps every acknowledged rating and over-fills no scenario when one is killed mid-burst',
    async () => {
      dir = mkdtempSync(join(tmpdir(), 'crucible-two-servers-'));
      cpSync(join(PROJECT_ROOT, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
      database = await createTestDatabase(dir);
      const env = {
        ...process.env,
        CRUCIBLE_PORT: '0',
        CRUCIBLE_DB: database.url,
        CRUCIBLE_SCENARIOS: join(dir, 'scenarios'),
        CRUCIBLE_MODELS: join(dir, 'none.yaml'),
      };
      const a = await startServerProcess(env);
      servers.push(a);
      const token = a.adminLink!.split('/join/')[1]!;
      const joined = await fetch(`${a.url}/api/auth/invites/${token}/accept`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: 'Admin', email: 'admin@example.com', password: 'correct horse battery' }),
      });
      expect(joined.status).toBe(201);
      const b = await startServerProcess(env);
      servers.push(b);
      expect(b.adminLink).toBeNull(); // the admin made through A is in the shared database
      const adminCookie = joined.headers.get('set-cookie')!.split(';')[0]!;
      const adminCsrf = ((await joined.json()) as { me: { csrfToken: string } }).me.csrfToken;
      // The admin's session, made by A, works on B.
      const asAdmin = (path: string, body: unknown) =>
        fetch(`${b.url}${path}`, {
          method: 'POST',
          headers: { ...json, cookie: adminCookie, 'x-csrf-token': adminCsrf },
          body: JSON.stringify(body),
        });
      const created = await asAdmin('/api/studies', {
        name: 'Two servers',
        ratersPerItem: RATERS_PER_ITEM,
        filter: {},
      });
      expect(created.status).toBe(201);
      const study = (await created.json()) as { id: string };

      const raters = await Promise.all(
        Array.from({ length: 16 }, async (_, i) => {
          const invite = (await (await asAdmin('/api/admin/invites', { role: 'rater', studyId: study.id })).json()) as {
            token: string;
          };
          const res = await fetch(`${(i % 2 ? a : b).url}/api/auth/invites/${invite.token}/accept`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ name: `R${i}` }),
          });
          expect(res.status).toBe(201);
          return {
            cookie: res.headers.get('set-cookie')!.split(';')[0]!,
            csrf: ((await res.json()) as { me: { csrfToken: string } }).me.csrfToken,
          };
        }),
      );

      const acknowledged: string[] = [];
      let aKilled = false;
      let calls = 0;
      // Each rater asks one process for a task and submits it to the other, in turn; once A is gone,
      // B alone. A request A never answered is not acknowledged, and the rater carries on with B.
      const loop = async (r: { cookie: string; csrf: string }, first: number) => {
        const headers = { ...json, cookie: r.cookie, 'x-csrf-token': r.csrf };
        for (let turn = first; ; turn++) {
          const [nextOn, submitOn] = aKilled ? [b, b] : turn % 2 ? [a, b] : [b, a];
          calls++;
          try {
            const res = await fetch(`${nextOn.url}/api/rate/studies/${study.id}/next`, { headers });
            expect(res.status).toBe(200);
            const next = (await res.json()) as { kind: string; leaseId: string };
            if (next.kind !== 'task') return;
            const sent = await fetch(`${submitOn.url}/api/rate/studies/${study.id}/ratings`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ leaseId: next.leaseId, realism: 3, comment: 'ok' }),
            });
            if (sent.status === 201 || sent.status === 200) acknowledged.push(next.leaseId);
            else expect([404, 409]).toContain(sent.status); // a lease A handed out, lost with A's answer
          } catch (e) {
            if (!aKilled) throw e;
          }
        }
      };
      const burst = Promise.all(raters.map((r, i) => loop(r, i)));
      await expect.poll(() => acknowledged.length, { timeout: budget(30_000), interval: 5 }).toBeGreaterThanOrEqual(40);
      a.child.kill('SIGKILL');
      aKilled = true;
      await once(a.child, 'exit');
      const atKill = acknowledged.length;
      await burst; // B alone until every scenario is filled (or held by a lease A handed out)
      expect(acknowledged.length).toBeGreaterThan(atKill);
      expect(calls).toBeGreaterThan(acknowledged.length);

      const db = openDatabase(database.url);
      const ratings = await db
        .selectFrom('realism_rating')
        .select(['id', 'scenario_id'])
        .where('study_id', '=', study.id)
        .execute();
      const leases = await db.selectFrom('lease').select('scenario_id').where('study_id', '=', study.id).execute();
      await db.destroy();
      const stored = new Set(ratings.map((r) => r.id));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      const taken = new Map<string, number>();
      for (const r of [...ratings, ...leases]) taken.set(r.scenario_id, (taken.get(r.scenario_id) ?? 0) + 1);
      const overFilled = [...taken].filter(([, n]) => n > RATERS_PER_ITEM);
      expect(overFilled).toEqual([]);
      // The burst really filled the study: every slot is a rating or a lease A left behind.
      expect([...taken.values()].reduce((s, n) => s + n, 0)).toBe(taken.size * RATERS_PER_ITEM);
    },
    budget(120_000),
  );
});
