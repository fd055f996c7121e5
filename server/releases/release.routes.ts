import { Hono } from 'hono';
import type { Db } from '../db/database.ts';
import type { AuthEnv } from '../http/auth.ts';
import type { ReleaseManifest } from './release.build.ts';
import { listReleases } from './release.repository.ts';

export function releaseRoutes(db: Db) {
  return (
    new Hono<AuthEnv>()
      // GET /api/releases: the benchmark releases this instance made or imported, newest first (authors and admins)
      .get('/', async (c) => {
        const rows = await listReleases(db);
        const releases = rows.map((r) => {
          const manifest = JSON.parse(r.manifest) as ReleaseManifest;
          return {
            name: r.name,
            version: r.version,
            origin: r.origin,
            scope: r.scope,
            path: r.path,
            createdAt: r.created_at,
            previous: manifest.previous,
            counts: manifest.counts,
          };
        });
        return c.json({ releases }, 200);
      })
  );
}
