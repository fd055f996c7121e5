import type { MiddlewareHandler } from 'hono';

/**
 * The Content-Security-Policy of every response. Scripts and workers only from this origin (Vite
 * emits no inline script; Monaco's editor and monaco-yaml workers are bundled files under /assets);
 * inline styles are allowed because Monaco and React set style attributes and Monaco adds <style>
 * elements at run time; fonts and images may be data: URIs (Monaco's codicons, small inlined
 * assets). Nothing may frame a page (clickjacking), and forms and <base> stay on this origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sets the security headers on every response, API and pages alike, errors included. */
export function securityHeaders(opts: { https: boolean }): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    h.set('X-Frame-Options', 'DENY');
    h.set('X-Content-Type-Options', 'nosniff');
    // Links out (a completion URL, a provider's docs) carry no path of ours: study ids, invite tokens.
    h.set('Referrer-Policy', 'same-origin');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (opts.https) h.set('Strict-Transport-Security', 'max-age=15552000');
  };
}
