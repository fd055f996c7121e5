import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Services } from './services.ts';
import { dryRunRoutes, modelsRoutes } from './dryrun/dryrun.routes.ts';
import { analysisRoutes } from './analysis/analysis.routes.ts';
import { annotateRoutes, annotationStudyRoutes } from './annotation/annotation.routes.ts';
import { calibrationRoutes } from './calibration/calibration.routes.ts';
import { externalAgreementRoutes } from './calibration/external-agreement.routes.ts';
import { releaseRoutes } from './releases/release.routes.ts';
import { judgeRoutes } from './judge/judge.routes.ts';
import { runRoutes } from './runs/run.routes.ts';
import { combinedLeaderboardRoutes } from './leaderboards/combined-leaderboard.routes.ts';
import { adminPeopleRoutes, authRoutes } from './people/auth.routes.ts';
import { prolificEntryRoutes } from './studies/prolific-entry.routes.ts';
import { rateRoutes } from './studies/rate.routes.ts';
import { raterHomeRoutes } from './studies/rater-home.routes.ts';
import { studyRoutes } from './studies/study.routes.ts';
import { requireRole, STUDIO_ROLES } from './http/auth.ts';
import { apiError, onError, onNotFound } from './http/errors.ts';
import { securityHeaders } from './http/security-headers.ts';
import { requestBodyLimit } from './http/body-limit.ts';
import { securitySettingsOf } from './http/security-settings.ts';
import { generationRoutes } from './generation/generation.routes.ts';
import { importRoutes } from './import/import.routes.ts';
import { jobRoutes } from './jobs/job.routes.ts';
import { scenarioRoutes } from './scenarios/scenario.routes.ts';
import { waitForScenarioIndex } from './scenarios/scenario-index.gate.ts';
import { taxonomyRoutes } from './taxonomy/taxonomy.routes.ts';

/** What the app runs on (opened by openServices; tests open their own). */
export type AppDeps = Pick<Services, 'config' | 'db' | 'corpus' | 'models' | 'sessions' | 'runs' | 'jobs' | 'redact'>;

/** The API alone, chained so `hc<ApiType>` infers every route. */
function api(deps: AppDeps) {
  const studio = requireRole(deps.db, STUDIO_ROLES);
  const security = securitySettingsOf(deps.config);
  return (
    new Hono()
      .use(
        requestBodyLimit({
          maxSize: deps.config.maxBodyBytes,
          onError: (c) =>
            apiError(
              c,
              413,
              'payload_too_large',
              `request body is over the limit of ${deps.config.maxBodyBytes} bytes; nothing was saved`,
            ),
        }),
      )
      .get('/health', (c) => c.json({ ok: true }, 200))
      // The studio's API: authors and admins only, on every method and path.
      .use('/scenarios/*', studio)
      .use('/taxonomy/*', studio)
      .use('/models/*', studio)
      .use('/dryruns/*', studio)
      .use('/judges/*', studio)
      .use('/calibration/*', studio)
      .use('/runs/*', studio)
      .use('/analysis/*', studio)
      .use('/leaderboards/*', studio)
      .use('/import/*', studio)
      .use('/generation/*', studio)
      .use('/releases/*', studio)
      .use('/jobs/*', studio)
      .route('/scenarios', scenarioRoutes(deps.corpus, deps.db))
      .route('/taxonomy', taxonomyRoutes(deps.corpus))
      .route('/models', modelsRoutes(dryRunDeps(deps)))
      .route('/dryruns', dryRunRoutes(dryRunDeps(deps)))
      .route('/judges', judgeRoutes(deps.db, deps.corpus, deps.models, deps.redact))
      .route('/calibration/external', externalAgreementRoutes(deps.db))
      .route('/releases', releaseRoutes(deps.db))
      .route('/calibration', calibrationRoutes(deps.db, deps.corpus, deps.models, deps.jobs))
      .route('/runs', runRoutes(deps.db, deps.corpus, deps.runs, deps.models, deps.redact, deps.jobs))
      .route('/jobs', jobRoutes(deps.db, deps.jobs))
      .route('/leaderboards', combinedLeaderboardRoutes(deps.db, deps.corpus, deps.runs, deps.models))
      .route('/analysis', analysisRoutes(deps.db, deps.corpus))
      .route('/generation', generationRoutes(deps, deps.jobs))
      .route('/import', importRoutes(deps.corpus, deps.db, deps.redact))
      .route('/annotation-studies', annotationStudyRoutes(deps.db))
      .route('/rate/annotation', annotateRoutes(deps.db))
      .route('/auth', authRoutes(deps.db, security))
      .route('/admin', adminPeopleRoutes(deps.db))
      .route('/studies', studyRoutes(deps.db, deps.config.annotationsDir))
      .route('/rate/prolific', prolificEntryRoutes(deps.db, security))
      .route('/rate/mine', raterHomeRoutes(deps.db))
      .route('/rate', rateRoutes(deps.db, deps.corpus))
  );
}

function dryRunDeps(deps: AppDeps) {
  return {
    db: deps.db,
    corpus: deps.corpus,
    models: deps.models,
    sessions: deps.sessions,
    redact: deps.redact,
    modelsPath: deps.config.modelsPath,
  };
}

/** The route type the client's typed `hc` client is built from. */
export type ApiType = ReturnType<typeof api>;

export function createApp(deps: AppDeps) {
  const app = new Hono();
  app.use(securityHeaders({ https: deps.config.publicUrl?.startsWith('https:') ?? false }));
  app.onError(onError);
  app.use('/api/*', waitForScenarioIndex(deps.corpus));
  app.route('/api', api(deps));
  app.all('/api/*', onNotFound);

  const clientDir = deps.config.clientDir;
  if (clientDir && existsSync(join(clientDir, 'index.html'))) {
    const indexHtml = readFileSync(join(clientDir, 'index.html'), 'utf8');
    const rateHtml = existsSync(join(clientDir, 'rate.html'))
      ? readFileSync(join(clientDir, 'rate.html'), 'utf8')
      : indexHtml;
    // Hashed asset names never change content: cache them for a year.
    app.use('/assets/*', async (c, next) => {
      await next();
      if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    });
    // The rater app's pages (and sign-in, invites) load its own small bundle, never the studio's.
    for (const path of ['/rate', '/rate/*', '/join/*', '/signin']) app.get(path, (c) => c.html(rateHtml, 200));
    app.use('/*', serveStatic({ root: clientDir }));
    // Every other client-side route loads the studio.
    app.get('*', (c) => c.html(indexHtml, 200));
  } else {
    app.get('/', (c) => c.text('Crucible API is running; the client is not built (run `npm run build`).', 200));
  }
  app.notFound(onNotFound);
  return app;
}
