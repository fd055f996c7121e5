import type { QueryClient } from '@tanstack/react-query';
import { lazy, type ComponentType } from 'react';
import { queryClient } from './queryClient.ts';

// Pages other than the scenario browser and editor load on first visit: most sessions never open
// them. The page the browser was opened on starts loading at once, before React renders, so a
// direct link does not wait behind the sign-in check and the first render.
//
// A page whose module has arrived renders directly, not through React.lazy: a lazy component
// suspends on its first render even when its module is there, and React 19 then holds the
// boundary's content back until 300 ms after it showed the fallback (its reveal throttle). On the
// calibration page that was a third of a direct link's load, with nothing to wait for. main.tsx
// waits for the opened page's module (`initialPageLoaded`) before the first render, so a direct
// link never suspends; a page opened later suspends once, while its module loads.
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
type PageName = keyof typeof pages;
type PageModule<K extends PageName> = Awaited<ReturnType<(typeof pages)[K]>>;

const loading = new Map<PageName, Promise<unknown>>();
const arrived = new Map<PageName, unknown>();
function load<K extends PageName>(k: K): Promise<PageModule<K>> {
  if (!loading.has(k))
    loading.set(
      k,
      pages[k]().then((m) => {
        arrived.set(k, m);
        return m;
      }),
    );
  return loading.get(k) as Promise<PageModule<K>>;
}

/** A page component: rendered directly once its module has arrived, through React.lazy before. */
function page<K extends PageName, P extends object>(k: K, pick: (m: PageModule<K>) => ComponentType<P>) {
  const Lazy = lazy(() => load(k).then((m) => ({ default: pick(m) })));
  return function Page(props: P) {
    const m = arrived.get(k) as PageModule<K> | undefined;
    const Component = m ? pick(m) : Lazy;
    return <Component {...props} />;
  };
}

const initial = /^\/studio\/(studies|judges|calibration|runs|items|leaderboards|jobs)(\/[^/]+)?/.exec(
  window.location.pathname,
);
/**
 * A page module may export `preloadPageData`: the first request of a direct link to it, started as
 * soon as its module arrives (before the sign-in check and the first render), into the cache its
 * queries read.
 */
export type PreloadPageData = (client: QueryClient, search: URLSearchParams) => void;

/** The module of the page the browser was opened on (nothing for the browser and editor, which are in the main bundle). */
export const initialPageLoaded: Promise<unknown> = initial
  ? load(
      (initial[2]
        ? ({ studies: 'study', runs: 'run', leaderboards: 'leaderboard' }[
            initial[1] as 'studies' | 'runs' | 'leaderboards'
          ] ?? initial[1])
        : initial[1]) as PageName,
    ).then((m) => {
      (m as { preloadPageData?: PreloadPageData }).preloadPageData?.(
        queryClient,
        new URLSearchParams(window.location.search),
      );
      return m;
    })
  : Promise.resolve();

export const StudiesPage = page('studies', (m) => m.StudiesPage);
export const StudyPage = page('study', (m) => m.StudyPage);
export const JudgesPage = page('judges', (m) => m.JudgesPage);
export const CalibrationPage = page('calibration', (m) => m.CalibrationPage);
export const RunsPage = page('runs', (m) => m.RunsPage);
export const RunPage = page('run', (m) => m.RunPage);
export const ItemAnalysisPage = page('items', (m) => m.ItemAnalysisPage);
export const GenerationPage = page('generation', (m) => m.GenerationPage);
export const ReviewQueuePage = page('review', (m) => m.ReviewQueuePage);
export const ReleasesPage = page('releases', (m) => m.ReleasesPage);
export const LeaderboardsPage = page('leaderboards', (m) => m.LeaderboardsPage);
export const LeaderboardPage = page('leaderboard', (m) => m.LeaderboardPage);
export const JobsPage = page('jobs', (m) => m.JobsPage);
