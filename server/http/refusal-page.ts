import type { Context } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../../schema/errors.ts';
import { apiError } from './errors.ts';

/**
 * A refusal for a route that people open by a link (not through the app): a small page a person
 * can read in their browser (when it asks for HTML), or the usual JSON envelope for a program.
 * `extra` adds a form (one button, posting a CSRF token) or a link. Every value is escaped.
 */
export function refuse(
  c: Context,
  status: ContentfulStatusCode,
  code: ErrorCode,
  title: string,
  message: string,
  extra?: { link?: { href: string; text: string }; form?: { action: string; csrf: string; button: string } },
) {
  if (!c.req.header('accept')?.includes('text/html')) return apiError(c, status, code, message);
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="UTF-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1.0" />
          <title>${title} · Crucible</title>
          <style>
            body {
              font:
                16px/1.5 system-ui,
                sans-serif;
              color: #1f2328;
              background: #f6f8fa;
            }
            main {
              max-width: 36rem;
              margin: 3rem auto;
              padding: 1.5rem 2rem;
              background: #fff;
              border: 1px solid #d0d7de;
              border-radius: 8px;
            }
            h1 {
              font-size: 1.4rem;
            }
          </style>
        </head>
        <body>
          <main data-code="${code}">
            <h1>${title}</h1>
            <p>${message}</p>
            ${
              extra?.form
                ? html`<form method="post" action="${extra.form.action}">
                    <input type="hidden" name="csrf" value="${extra.form.csrf}" />
                    <button type="submit">${extra.form.button}</button>
                  </form>`
                : ''
            }
            ${extra?.link ? html`<p><a href="${extra.link.href}">${extra.link.text}</a></p>` : ''}
          </main>
        </body>
      </html>`,
    status,
  );
}

/** 429 with Retry-After, for a person or a program. */
export const tooFast = (c: Context, waitMs: number) => {
  const seconds = Math.ceil(waitMs / 1000);
  c.header('Retry-After', String(seconds));
  return refuse(c, 429, 'rate_limited', 'Too many arrivals', `Too many arrivals right now; try again in ${seconds} s.`);
};
