import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { ErrorCode, ErrorEnvelope, ErrorIssue } from '../../schema/errors.ts';

/** The one error envelope, with an explicit status. */
export function apiError<S extends ContentfulStatusCode>(
  c: Context,
  status: S,
  code: ErrorCode,
  message: string,
  issues?: ErrorIssue[],
) {
  const body: ErrorEnvelope = { error: { code, message, ...(issues ? { issues } : {}) } };
  return c.json(body, status);
}

/**
 * A field as the person who filled it in knows it: "id", "settings.models[0]" for a body field
 * (not "json.id"), "query parameter limit", "the address's id".
 */
function fieldName(where: 'json' | 'query' | 'param', path: string[]): string {
  const dotted = path.reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');
  if (where === 'query') return dotted ? `query parameter ${dotted}` : 'query';
  if (where === 'param') return dotted ? `the address's ${dotted}` : 'the address';
  return dotted || 'request body';
}

/** zod-validator hook: our envelope instead of the raw ZodError text (which leaks internals). */
export function validationHook(where: 'json' | 'query' | 'param') {
  return (result: { success: boolean; error?: { issues: z.core.$ZodIssue[] } }, c: Context) => {
    if (result.success || !result.error) return;
    const issues = result.error.issues.map((i) => ({
      message: `${fieldName(where, i.path.map(String))}: ${i.message}`,
      path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
    }));
    const code: ErrorCode = where === 'param' ? 'invalid_id' : 'bad_request';
    return apiError(c, 400, code, issues.map((i) => i.message).join('; '), issues);
  };
}

/** A 500 says nothing internal; the details go to the server log. */
export const onError: ErrorHandler = (err, c) => {
  if (err instanceof HTTPException) {
    if (err.status === 413)
      return apiError(c, 413, 'payload_too_large', 'the request body is larger than the server accepts');
    if (err.status === 400) return apiError(c, 400, 'bad_request', err.message || 'bad request');
    return apiError(c, err.status as ContentfulStatusCode, 'bad_request', err.message);
  }
  console.error(`${c.req.method} ${c.req.path} failed:`, err);
  return apiError(c, 500, 'internal', 'internal error; the server log has the details');
};

export const onNotFound: NotFoundHandler = (c) =>
  apiError(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`);
