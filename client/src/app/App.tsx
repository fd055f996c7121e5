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

// Realism studies load on first visit: most studio sessions never open them.
const StudiesPage = lazy(() => import('../studio/studies/StudiesPage.tsx').then((m) => ({ default: m.StudiesPage })));
const StudyPage = lazy(() => import('../studio/studies/StudyPage.tsx').then((m) => ({ default: m.StudyPage })));
const JudgesPage = lazy(() => import('../studio/judges/JudgesPage.tsx').then((m) => ({ default: m.JudgesPage })));
const CalibrationPage = lazy(() => import('../studio/calibration/CalibrationPage.tsx').then((m) => ({ default: m.CalibrationPage })));
const RunsPage = lazy(() => import('../studio/runs/RunsPage.tsx').then((m) => ({ default: m.RunsPage })));
const RunPage = lazy(() => import('../studio/runs/RunPage.tsx').then((m) => ({ default: m.RunPage })));

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
