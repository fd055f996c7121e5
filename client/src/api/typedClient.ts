import { hc } from 'hono/client';
import type { ApiType } from '../../../server/app.ts';
import { sessionHeaders } from './session.ts';

// The typed API client, on its own so the rater bundle can use it without the studio's
// zod-parsing reader (client.ts): only the server's route *types* are imported, never its code.

/** Every path, parameter and response inferred from the server's routes. */
export const api = hc<ApiType>('/api', { headers: sessionHeaders });

/** What a typed response can be read as. */
export type TypedResponse = { ok: boolean; status: number; json(): Promise<unknown> };

/** The body type of a typed response's 2xx variants (hono types each status separately). */
export type SuccessBody<R> = R extends { ok: true; json(): Promise<infer T> } ? T : never;
