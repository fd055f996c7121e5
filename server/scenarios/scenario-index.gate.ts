import type { MiddlewareHandler } from 'hono';
import type { ScenarioCorpus } from './scenario.corpus.ts';

// While a warm start's reconciliation runs (ScenarioCorpus.reconcileWhileServing), the scenario
// index may still hold files changed or removed while the server was down. API requests wait for
// it (a second or two after start at 100,000 scenarios), except those that never read the index
// and the list, which checks the rows of the page it serves (scenario.routes.ts).

/** Whether a request may be answered before the reconciliation is done. */
function servedWhileReconciling(method: string, path: string): boolean {
  if (path === '/api/health' || path.startsWith('/api/auth/')) return true; // the session, sign-in, invites
  // The list (its page is checked) and the event stream (changes found by the reconciliation are announced on it).
  return method === 'GET' && (path === '/api/scenarios' || path === '/api/scenarios/events');
}

/** Holds API requests that read the scenario index until a start-up reconciliation is done. */
export function waitForScenarioIndex(corpus: ScenarioCorpus): MiddlewareHandler {
  return async (c, next) => {
    if (corpus.reconciling && !servedWhileReconciling(c.req.method, c.req.path)) await corpus.reconciled();
    await next();
  };
}
