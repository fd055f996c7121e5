import { QueryClient } from '@tanstack/react-query';

/**
 * The client's one data cache. Made at module load, not in a component, so the page a direct link
 * opens can start its first request before React renders (app/pages.tsx, `preloadPageData`).
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 10_000, refetchOnWindowFocus: false, retry: 1 },
  },
});
