import { APICallError, RetryError } from 'ai';
import type { TranscriptEvent } from '../../schema/transcript.ts';

type ErrorCode = Extract<TranscriptEvent, { type: 'error' }>['code'];

/** What went wrong with a provider call, in words an author can act on. */
export interface ClassifiedError {
  code: ErrorCode;
  message: string;
}

/**
 * Sorts a provider failure into the codes the panel shows. `stoppedByUser` tells an abort the
 * author asked for from one a timeout caused.
 */
export function classifyProviderError(
  error: unknown,
  opts: { stoppedByUser: boolean; timeoutMs: number },
): ClassifiedError {
  if (opts.stoppedByUser) return { code: 'aborted', message: 'stopped by the author' };
  let e = error;
  let retries = 0;
  if (RetryError.isInstance(e)) {
    retries = e.errors.length - 1;
    e = e.lastError;
  }
  const after = retries > 0 ? ` (after ${retries} ${retries === 1 ? 'retry' : 'retries'})` : '';
  if (APICallError.isInstance(e)) {
    const status = e.statusCode;
    // A stream that started fine (2xx) and then broke: the SDK reports the response's status.
    if (status !== undefined && status < 300) {
      return {
        code: 'stream_cut',
        message: `the provider's stream was cut off mid-answer (${causeText(e.cause) || e.message})`,
      };
    }
    const detail = providerMessage(e.responseBody) ?? e.message;
    if (status === 401 || status === 403)
      return {
        code: 'auth',
        message: `the provider rejected the API key (${status}): ${detail}. Check the key variable named in the models file.`,
      };
    if (status === 429)
      return { code: 'rate_limited', message: `rate limited by the provider (429)${after}: ${detail}` };
    if (status !== undefined && status >= 500)
      return { code: 'provider_error', message: `the provider failed (${status})${after}: ${detail}` };
    if (status !== undefined)
      return { code: 'provider_error', message: `the provider refused the request (${status}): ${detail}` };
    if (isConnectionRefused(e.cause) || /cannot connect/i.test(e.message))
      return {
        code: 'unreachable',
        message: `cannot reach the provider at ${originOf(e.url)}: is it running?${after}`,
      };
    return { code: 'provider_error', message: `${e.message}${after}` };
  }
  const err = e as { name?: string; message?: string; cause?: unknown };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError' || /aborted|timeout/i.test(err?.message ?? '')) {
    return { code: 'timeout', message: `the model did not answer within ${Math.round(opts.timeoutMs / 1000)} s` };
  }
  if (isConnectionRefused(err?.cause) || isConnectionRefused(err))
    return { code: 'unreachable', message: `cannot reach the provider: ${err.message}` };
  if (
    /terminated|socket|closed|ECONNRESET|premature/i.test(
      `${err?.message} ${String((err?.cause as Error | undefined)?.message ?? '')}`,
    )
  ) {
    return {
      code: 'stream_cut',
      message: `the provider's stream was cut off mid-answer (${err?.message ?? 'connection closed'})`,
    };
  }
  return { code: 'provider_error', message: err?.message ?? String(e) };
}

function causeText(cause: unknown): string {
  const parts: string[] = [];
  let c: unknown = cause;
  for (let i = 0; i < 3 && c; i++) {
    const m = (c as { message?: string }).message;
    if (m) parts.push(m);
    c = (c as { cause?: unknown }).cause;
  }
  return parts.join(': ');
}

function providerMessage(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string; message?: string };
    if (typeof parsed.error === 'object' && parsed.error?.message) return parsed.error.message;
    if (typeof parsed.error === 'string') return parsed.error;
    return parsed.message;
  } catch {
    return body.slice(0, 200);
  }
}

function isConnectionRefused(cause: unknown): boolean {
  let c: unknown = cause;
  for (let i = 0; i < 4 && c; i++) {
    const code = (c as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') return true;
    c = (c as { cause?: unknown }).cause;
  }
  return false;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
