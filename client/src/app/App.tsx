import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Redirect, Route, Router, Switch } from 'wouter';
import { connectLiveEvents } from '../api/liveEvents.ts';
import { RequireStudio } from '../auth/RequireStudio.tsx';
import { ScenarioBrowser } from '../studio/browser/ScenarioBrowser.tsx';
import { ScenarioPage } from '../studio/scenario/ScenarioPage.tsx';
import { StudioShell } from '../studio/StudioShell.tsx';
import { LeaveConfirmDialog } from './LeaveConfirmDialog.tsx';
import { useGuardedLocation, useGuardedSearch } from './navigation.ts';

// Pages other than the scenario browser and editor load on first visit: most sessions never open
// them. The page the browser was opened on starts loading at once, before React renders, so a
// direct link does not wait behind the sign-in check and the first render.
const pages = {
  studies: () => import('../studio/studies/StudiesPage.tsx'),
  study: () => import('../studio/studies/StudyPage.tsx'),
  judges: () => import('../studio/judges/JudgesPage.tsx'),
  calibration: () => import('../studio/calibration/CalibrationPage.tsx'),
  runs: () => import('../studio/runs/RunsPage.tsx'),
  run: () => import('../studio/runs/RunPage.tsx'),
  items: () => import('../studio/analysis/ItemAnalysisPage.tsx'),
  generation: () => import('../studio/generation/GenerationPage.tsx'),
  review: () => import('../studio/generation/ReviewQueuePage.tsx'),
  releases: () => import('../studio/releases/ReleasesPage.tsx'),
  leaderboards: () => import('../studio/leaderboards/LeaderboardsPage.tsx'),
  leaderboard: () => import('../studio/leaderboards/LeaderboardPage.tsx'),
  jobs: () => import('../studio/jobs/JobsPage.tsx'),
};
const loaded = new Map<keyof typeof pages, ReturnType<(typeof pages)[keyof typeof pages]>>();
const load = <K extends keyof typeof pages>(k: K) => {
  if (!loaded.has(k)) loaded.set(k, pages[k]());
  return loaded.get(k) as ReturnType<(typeof pages)[K]>;
};
const initial = /^\/studio\/(studies|judges|calibration|runs|items|leaderboards|jobs)(\/[^/]+)?/.exec(
  window.location.pathname,
);
if (initial)
  void load(
    (initial[2]
      ? ({ studies: 'study', runs: 'run', leaderboards: 'leaderboard' }[
          initial[1] as 'studies' | 'runs' | 'leaderboards'
        ] ?? initial[1])
      : initial[1]) as keyof typeof pages,
  );

const StudiesPage = lazy(() => load('studies').then((m) => ({ default: m.StudiesPage })));
const StudyPage = lazy(() => load('study').then((m) => ({ default: m.StudyPage })));
const JudgesPage = lazy(() => load('judges').then((m) => ({ default: m.JudgesPage })));
const CalibrationPage = lazy(() => load('calibration').then((m) => ({ default: m.CalibrationPage })));
const RunsPage = lazy(() => load('runs').then((m) => ({ default: m.RunsPage })));
const RunPage = lazy(() => load('run').then((m) => ({ default: m.RunPage })));
const ItemAnalysisPage = lazy(() => load('items').then((m) => ({ default: m.ItemAnalysisPage })));
const GenerationPage = lazy(() => load('generation').then((m) => ({ default: m.GenerationPage })));
const ReviewQueuePage = lazy(() => load('review').then((m) => ({ default: m.ReviewQueuePage })));
const ReleasesPage = lazy(() => load('releases').then((m) => ({ default: m.ReleasesPage })));
const LeaderboardsPage = lazy(() => load('leaderboards').then((m) => ({ default: m.LeaderboardsPage })));
const LeaderboardPage = lazy(() => load('leaderboard').then((m) => ({ default: m.LeaderboardPage })));
const JobsPage = lazy(() => load('jobs').then((m) => ({ default: m.JobsPage })));

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 10_000, refetchOnWindowFocus: false, retry: 1 },
    },
  });
}

/** The whole client: data cache, live updates from the server, and the route trees. */
export function App() {
  const [queryClient] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <RequireStudio>
        <LiveEvents />
        <StudioRoutes />
      </RequireStudio>
    </QueryClientProvider>
  );
}

/** Live scenario changes from the server, once signed in. */
function LiveEvents() {
  const queryClient = useQueryClient();
  useEffect(() => connectLiveEvents(queryClient), [queryClient]);
  return null;
}

function StudioRoutes() {
  return (
    <>
      <Router hook={useGuardedLocation} searchHook={useGuardedSearch}>
        <Switch>
          <Route path="/">
            <Redirect to="/studio" replace />
          </Route>
          <Route path="/studio">
            <StudioShell>
              <ScenarioBrowser />
            </StudioShell>
          </Route>
          <Route path="/studio/studies">
            <StudioShell>
              <Suspense fallback={<PageLoading />}>
                <StudiesPage />
              </Suspense>
            </StudioShell>
          </Route>
          <Route path="/studio/studies/:id">
            {(params) => (
              <StudioShell>
                <Suspense fallback={<PageLoading />}>
                  <StudyPage key={params.id} id={params.id} />
                </Suspense>
              </StudioShell>
            )}
          </Route>
          <Route path="/studio/judges">
            <StudioShell>
              <Suspense fallback={<PageLoading />}>
                <JudgesPage />
              </Suspense>
            </StudioShell>
          </Route>
          <Route path="/studio/calibration">
            <StudioShell>
              <Suspense fallback={<PageLoading />}>
                <CalibrationPage />
              </Suspense>
            </StudioShell>
          </Route>
          <Route path="/studio/releases">
            <StudioShell>
              <Suspense fallback={<PageLoading />}>
                <ReleasesPage />
              </Suspense>
            </StudioShell>
          </Route>
          <Route path="/studio/jobs">
            <StudioShell>
              <Suspense fallback={<PageLoading />}>
                <JobsPage />
              </Suspense>
            </StudioShell>
          </Route>
          <Route path="/studio/generation">
            <StudioShell>
              <Suspense fallback={<PageLoading />}>
                <GenerationPage />
              </Suspense>
            </StudioShell>
          </Route>
          <Route path="/studio/generation/review">
            <StudioShell>
              <Suspense fallback={<PageLoading />}>
                <ReviewQueuePage />
              </Suspense>
            </StudioShell>
          </Route>
          <Route path="/studio/items">
            <StudioShell>
              <Suspense fallback={<PageLoading />}>
                <ItemAnalysisPage />
              </Suspense>
            </StudioShell>
          </Route>
          <Route path="/studio/runs">
            <StudioShell>
              <Suspense fallback={<PageLoading />}>
                <RunsPage />
              </Suspense>
            </StudioShell>
          </Route>
          <Route path="/studio/runs/:id">
            {(params) => (
              <StudioShell>
                <Suspense fallback={<PageLoading />}>
                  <RunPage key={params.id} id={params.id} />
                </Suspense>
              </StudioShell>
            )}
          </Route>
          <Route path="/studio/leaderboards">
            <StudioShell>
              <Suspense fallback={<PageLoading />}>
                <LeaderboardsPage />
              </Suspense>
            </StudioShell>
          </Route>
          <Route path="/studio/leaderboards/:id">
            {(params) => (
              <StudioShell>
                <Suspense fallback={<PageLoading />}>
                  <LeaderboardPage key={params.id} id={params.id} />
                </Suspense>
              </StudioShell>
            )}
          </Route>
          <Route path="/studio/scenarios/:id">
            {(params) => (
              <StudioShell>
                <ScenarioPage key={params.id} id={params.id} />
              </StudioShell>
            )}
          </Route>
          <Route>
            <NotFound />
          </Route>
        </Switch>
      </Router>
      <LeaveConfirmDialog />
    </>
  );
}

function PageLoading() {
  return (
    <main className="centered-message" aria-busy="true">
      Loading…
    </main>
  );
}

function NotFound() {
  return (
    <main className="not-found">
      <h1>Page not found</h1>
      <p>
        <a href="/studio">Go to the studio</a>
      </p>
    </main>
  );
}
