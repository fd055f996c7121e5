import { Hono } from 'hono';
import type { MyRaterStudies } from '../../schema/api/rater-home.ts';
import type { Db } from '../db/database.ts';
import { RATING_ROLES, requireRole, type AuthEnv } from '../http/auth.ts';
import { listRaterStudies } from './rater-home.ts';

export function raterHomeRoutes(db: Db) {
  return (
    new Hono<AuthEnv>()
      // GET /api/rate/mine: the studies the signed-in person joined as a rater, with their progress
      .get('/', requireRole(db, RATING_ROLES), async (c) => {
        const body: MyRaterStudies = { studies: await listRaterStudies(db, c.var.user) };
        return c.json(body, 200);
      })
  );
}
