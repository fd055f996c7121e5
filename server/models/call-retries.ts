import { setTimeout as sleep } from 'node:timers/promises';
import { APICallError, wrapLanguageModel, type LanguageModelMiddleware } from 'ai';
import { classifyProviderError } from '../dryrun/provider-errors.ts';
import type { ResolvedModel } from './model.registry.ts';

type Model = Parameters<typeof wrapLanguageModel>[0]['model'];

/** One retry of one provider call: what failed, and which try comes next. */
export interface CallRetry {
  code: 'rate_limited' | 'provider_error' | 'unreachable' | 'stream_cut';
  /** The try about to start (2 for the first retry). */
  attempt: number;
  delayMs: number;
}

export interface CallRetryPolicy {
  /** Tries of one call in all, the first included. */
  maxAttempts: number;
  /** The first retry waits about this long, each next one twice as long (30 s at most), with jitter. */
  backoffBaseMs: number;
  /** Told of every retry, so a run can count them. */
  onRetry: (retry: CallRetry) => void;
}

/**
 * The model with each failed call tried again on its own: a 429, a 5xx or a dropped connection in
 * the third turn (or the third step of a tool loop) repeats that one request, with the same
 * messages, instead of the whole conversation. The caller turns the SDK's own retries off
 * (`maxRetries: 0`), so every retry goes through here and is counted. A provider's Retry-After
 * (up to a minute) is honoured. Timeouts are not retried here: the SDK's step timeout has already
 * spent the step's time.
 */
export function retryingModel(resolved: ResolvedModel, policy: CallRetryPolicy): ResolvedModel {
  const middleware: LanguageModelMiddleware = {
    specificationVersion: 'v3',
    async wrapGenerate({ doGenerate, params }) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await doGenerate();
        } catch (e) {
          const code = retryableCode(e);
          if (code === null || attempt >= policy.maxAttempts || params.abortSignal?.aborted) throw e;
          const delayMs =
            retryAfterMs(e) ?? Math.min(30_000, policy.backoffBaseMs * 2 ** (attempt - 1)) * (0.5 + Math.random());
          policy.onRetry({ code, attempt: attempt + 1, delayMs });
          await sleep(delayMs, undefined, { signal: params.abortSignal });
        }
      }
    },
  };
  return { ...resolved, model: wrapLanguageModel({ model: resolved.model as Model, middleware }) };
}

/** The transient kind of a failure worth trying again, or null (bad requests, keys, timeouts, aborts). */
function retryableCode(e: unknown): CallRetry['code'] | null {
  if (APICallError.isInstance(e)) {
    if (!e.isRetryable) return null;
    if (e.statusCode === 429) return 'rate_limited';
    if (e.statusCode === undefined) return 'unreachable';
    return e.statusCode < 300 ? 'stream_cut' : 'provider_error';
  }
  const { code } = classifyProviderError(e, { stoppedByUser: false, timeoutMs: 0 });
  return code === 'unreachable' || code === 'stream_cut' ? code : null;
}

function retryAfterMs(e: unknown): number | null {
  if (!APICallError.isInstance(e)) return null;
  const headers = e.responseHeaders ?? {};
  const ms = Number(headers['retry-after-ms']);
  if (headers['retry-after-ms'] !== undefined && Number.isFinite(ms) && ms >= 0) return Math.min(ms, 60_000);
  const s = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(s) && s >= 0) return Math.min(s * 1000, 60_000);
  return null;
}
