import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { Suspense, useEffect } from 'react';
import { Redirect, Route, Router, Switch } from 'wouter';
import { connectLiveEvents } from '../api/liveEvents.ts';
import { RequireStudio } from '../auth/RequireStudio.tsx';
import { ScenarioBrowser } from '../studio/browser/ScenarioBrowser.tsx';
import { ScenarioPage } from '../studio/scenario/ScenarioPage.tsx';
import { StudioShell } from '../studio/StudioShell.tsx';
import { LeaveConfirmDialog } from './LeaveConfirmDialog.tsx';
import { useGuardedLocation, useGuardedSearch } from './navigation.ts';

import {
  CalibrationPage,
  GenerationPage,
  ItemAnalysisPage,
  JobsPage,
  JudgesPage,
  LeaderboardPage,
  LeaderboardsPage,
  ReleasesPage,
  ReviewQueuePage,
  RunPage,
  RunsPage,
  StudiesPage,
  StudyPage,
} from './pages.tsx';
import { queryClient } from './queryClient.ts';

/** The whole client: data cache, live updates from the server, and the route trees. */
export function App() {
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
