import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

// Hono's bodyLimit starts by asking whether the request has a body (`c.req.raw.body`), and on
// @hono/node-server that question alone builds a full web Request for every request, GETs included
// (an AbortController, headers, a stream over the socket), and makes the JSON body be read through
// web streams instead of straight from the socket: a fifth of a rater request's CPU. A request that
// states its length is judged by that header, as Hono's own middleware judges it; only a body sent
// without one (chunked) is counted as it arrives, by Hono's middleware.

const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses a request body over `maxSize` bytes with `onError`'s answer. */
export function requestBodyLimit(opts: { maxSize: number; onError: (c: Context) => Response }): MiddlewareHandler {
  const counted = bodyLimit(opts);
  return async (c, next) => {
    const length = c.req.header('content-length');
    const chunked = c.req.header('transfer-encoding') !== undefined;
    if (!chunked && (length !== undefined || NO_BODY.has(c.req.method))) {
      if (length !== undefined && Number.parseInt(length, 10) > opts.maxSize) return opts.onError(c);
      return next();
    }
    return counted(c, next);
  };
}
