import { ErrorEnvelopeSchema, type ErrorEnvelope } from '../../../schema/errors.ts';
import { goToSignIn } from './session.ts';
import type { SuccessBody, TypedResponse } from './typedClient.ts';

export { api } from './typedClient.ts';

/** An API failure carrying the server's error envelope (and the raw body, e.g. a 409's `current`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly envelope: ErrorEnvelope['error'],
    readonly body: unknown,
  ) {
    super(envelope.message);
  }
}

/** Reads a response: the JSON on 2xx, otherwise throws ApiError with the parsed envelope. */
export async function readJson<R extends TypedResponse>(res: R): Promise<SuccessBody<R>> {
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) return body as SuccessBody<R>;
  // The session ended (signed out elsewhere, expired): sign in again and come back.
  if (res.status === 401) goToSignIn();
  const parsed = ErrorEnvelopeSchema.safeParse(body);
  throw new ApiError(
    res.status,
    parsed.success ? parsed.data.error : { code: 'internal', message: `the server answered ${res.status}` },
    body,
  );
}
