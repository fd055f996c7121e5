import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';
import { budget } from '../support/budget.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { startServerProcess } from '../support/server-process.ts';

// The real server in its own process, killed with SIGKILL in the middle of a burst of rating
// submissions from many raters: every submission it answered 2xx must be in the database after
// (a SQLite file, or a PostgreSQL database in the postgres test project).

const dir = mkdtempSync(join(tmpdir(), 'crucible-crash-'));
cpSync(join(PROJECT_ROOT, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
const database = await createTestDatabase(dir);
const env = {
  ...process.env,
  CRUCIBLE_PORT: '0',
  CRUCIBLE_DB: database.url,
  CRUCIBLE_SCENARIOS: join(dir, 'scenarios'),
  CRUCIBLE_MODELS: join(dir, 'none.yaml'),
};
let child: ChildProcess | null = null;

async function startServer(): Promise<{ url: string; adminLink: string | null }> {
  const server = await startServerProcess(env);
  child = server.child;
  return server;
}

afterAll(async () => {
  child?.kill('SIGKILL');
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

const json = { 'content-type': 'application/json' };

describe('crash safety of rating submissions', () => {
  it(
    'keeps every acknowledged submission through a SIGKILL mid-burst',
    async () => {
      const { url, adminLink } = await startServer();
      expect(adminLink).toMatch(/\/join\/[A-Za-z0-9_-]+$/);
      // The first admin sets up their account through the printed link.
      const token = adminLink!.split('/join/')[1]!;
      const joined = await fetch(`${url}/api/auth/invites/${token}/accept`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: 'Admin', email: 'admin@example.com', password: 'correct horse battery' }),
      });
      expect(joined.status).toBe(201);
      const adminCookie = joined.headers.get('set-cookie')!.split(';')[0]!;
      const adminCsrf = ((await joined.json()) as { me: { csrfToken: string } }).me.csrfToken;
      const asAdmin = (path: string, body: unknown) =>
        fetch(`${url}${path}`, {
          method: 'POST',
          headers: { ...json, cookie: adminCookie, 'x-csrf-token': adminCsrf },
          body: JSON.stringify(body),
        });
      const study = (await (
        await asAdmin('/api/studies', { name: 'Crash', ratersPerItem: 50, filter: {} })
      ).json()) as {
        id: string;
      };

      // 24 raters, each looping next-task and submit as fast as the server answers.
      const raters = await Promise.all(
        Array.from({ length: 24 }, async (_, i) => {
          const invite = (await (await asAdmin('/api/admin/invites', { role: 'rater', studyId: study.id })).json()) as {
            token: string;
          };
          const res = await fetch(`${url}/api/auth/invites/${invite.token}/accept`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ name: `R${i}` }),
          });
          return {
            cookie: res.headers.get('set-cookie')!.split(';')[0]!,
            csrf: ((await res.json()) as { me: { csrfToken: string } }).me.csrfToken,
          };
        }),
      );
      const acknowledged: string[] = [];
      let killed = false;
      const loop = async (r: { cookie: string; csrf: string }) => {
        const headers = { ...json, cookie: r.cookie, 'x-csrf-token': r.csrf };
        while (!killed) {
          try {
            const next = (await (await fetch(`${url}/api/rate/studies/${study.id}/next`, { headers })).json()) as {
              kind: string;
              leaseId: string;
            };
            if (next.kind !== 'task') return;
            const res = await fetch(`${url}/api/rate/studies/${study.id}/ratings`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ leaseId: next.leaseId, realism: 3, comment: 'ok' }),
            });
            if (res.status === 201 || res.status === 200) acknowledged.push(next.leaseId);
          } catch {
            return; // the server is gone
          }
        }
      };
      const burst = Promise.all(raters.map(loop));
      await expect.poll(() => acknowledged.length, { timeout: budget(30_000), interval: 5 }).toBeGreaterThanOrEqual(60);
      child!.kill('SIGKILL');
      killed = true;
      await once(child!, 'exit');
      await burst;

      const db = openDatabase(database.url);
      const stored = new Set((await db.selectFrom('realism_rating').select('id').execute()).map((r) => r.id));
      await db.destroy();
      const lost = acknowledged.filter((id) => !stored.has(id));
      expect(acknowledged.length).toBeGreaterThanOrEqual(60);
      expect(lost).toEqual([]);

      // And the server starts again on the same database.
      const again = await startServer();
      expect(again.adminLink).toBeNull();
      expect((await fetch(`${again.url}/api/health`)).status).toBe(200);
    },
    budget(60_000),
  );
});
