import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { PreviousRatingResponse, RealismFlagSchema, ReviseRatingRequestSchema } from '../../schema/api/studies.ts';
import type { Db } from '../db/database.ts';
import type { UserRow } from '../people/people.table.ts';
import { checkScenarioText } from '../scenarios/scenario.check.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { readScenario } from '../scenarios/scenario.store.ts';
import { seesSameView } from './rated-version.ts';
import { raterViewHash, raterViewOf } from './rater-view.ts';
import { raterVariantOf } from '../variants/rater-variant.ts';
import type { StudyRow } from './study.repository.ts';

// Going back: a rater looks at one of their own earlier ratings in a study and may change it.
// Only their own, only while the study is open, and only while the scenario shows them what it
// showed when they rated (a changed scenario would make the new answer a rating of another
// version). The replaced answer is kept in realism_rating_revision.

type Revise = z.output<typeof ReviseRatingRequestSchema>;
type RealismFlag = z.infer<typeof RealismFlagSchema>;

/** The rater's latest rating in the study, or the one just before `before`; null when there is none. */
export async function previousRating(
  db: Db,
  corpus: ScenarioCorpus,
  study: StudyRow,
  rater: UserRow,
  before?: string,
): Promise<PreviousRatingResponse | null> {
  const own = db.selectFrom('realism_rating').where('study_id', '=', study.id).where('rater_id', '=', rater.id);
  let anchor: { created_at: string; id: string } | undefined;
  if (before) {
    anchor = await own.select(['created_at', 'id']).where('id', '=', before).executeTakeFirst();
    if (!anchor) return null;
  }
  // Rated order is (created_at, id): ties broken by id so paging back never skips or repeats one.
  const earlierThan = anchor;
  const rating = await own
    .selectAll()
    .$if(earlierThan !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('created_at', '<', earlierThan!.created_at),
          eb.and([eb('created_at', '=', earlierThan!.created_at), eb('id', '<', earlierThan!.id)]),
        ]),
      ),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!rating) return null;
  const earlier = await own
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) =>
      eb.or([
        eb('created_at', '<', rating.created_at),
        eb.and([eb('created_at', '=', rating.created_at), eb('id', '<', rating.id)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return {
    ratingId: rating.id,
    realism: rating.realism,
    flags: JSON.parse(rating.flags) as RealismFlag[],
    comment: rating.comment,
    ratedAt: rating.created_at,
    scenario: await sameViewAsRated(corpus, rating),
    position: Number(earlier.n) + 1,
    hasEarlier: Number(earlier.n) > 0,
  };
}

/** The scenario as the rater saw it when rating, from the file on disk; null when what they would see changed. */
async function sameViewAsRated(
  corpus: ScenarioCorpus,
  rated: { id: string; scenario_id: string; content_hash: string; rater_view_hash: string | null },
) {
  const loaded = await readScenario(corpus, rated.scenario_id);
  if (!loaded) return null;
  const { scenario } = checkScenarioText(loaded.content, { taxonomy: corpus.taxonomy });
  if (!scenario) return null;
  const now = { content_hash: loaded.hash, rater_view_hash: raterViewHash(loaded.content, scenario) };
  return seesSameView(now, rated) ? raterViewOf(raterVariantOf(scenario, rated.id).scenario) : null;
}

export type ReviseResult = { ok: true; changed: boolean } | { ok: false; status: 404 | 409; message: string };

/** Replaces the answer of one of the rater's own ratings, keeping the replaced one. */
export async function reviseRating(
  db: Db,
  corpus: ScenarioCorpus,
  study: StudyRow,
  rater: UserRow,
  ratingId: string,
  req: Revise,
): Promise<ReviseResult> {
  if (study.status !== 'open')
    return { ok: false, status: 409, message: 'this study is closed: ratings can no longer change' };
  const rating = await db
    .selectFrom('realism_rating')
    .selectAll()
    .where('id', '=', ratingId)
    .where('study_id', '=', study.id)
    .where('rater_id', '=', rater.id)
    .executeTakeFirst();
  // Someone else's rating is answered like a missing one: nothing about it is revealed.
  if (!rating) return { ok: false, status: 404, message: 'no such rating of yours in this study' };
  if (!(await sameViewAsRated(corpus, rating))) {
    return {
      ok: false,
      status: 409,
      message: 'this scenario was edited since you rated it, so your rating stands as you gave it',
    };
  }
  const flags = JSON.stringify(req.flags);
  if (rating.realism === req.realism && rating.flags === flags && rating.comment === req.comment) {
    return { ok: true, changed: false };
  }
  const nowIso = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('realism_rating_revision')
      .values({
        id: randomUUID(),
        rating_id: rating.id,
        realism: rating.realism,
        flags: rating.flags,
        comment: rating.comment,
        rated_at: rating.created_at,
        revised_at: nowIso,
      })
      .execute();
    // Guarded by the answer just read: two revisions at once cannot both replace the same answer.
    const updated = await trx
      .updateTable('realism_rating')
      .set({ realism: req.realism, flags, comment: req.comment })
      .where('id', '=', rating.id)
      .where('realism', '=', rating.realism)
      .where('flags', '=', rating.flags)
      .where('comment', '=', rating.comment)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new RevisionRace();
  });
  return { ok: true, changed: true };
}

/** Another revision of the same rating landed first; the caller answers 409. */
export class RevisionRace extends Error {
  constructor() {
    super('this rating was changed at the same moment elsewhere; reload it and try again');
  }
}
