import { describe, expect, it } from 'vitest';
import { RateRequestError, readRated } from '../../client/src/rate/rateApi.ts';

// The rater app's reader: a 2xx body as it came; any other answer a RateRequestError with the
// envelope's code and message, whatever a proxy or a crash put in the body.

const answer = (status: number, body: unknown) => ({
  ok: status >= 200 && status < 300,
  status,
  json: () => (body instanceof Error ? Promise.reject(body) : Promise.resolve(body)),
});

const refusal = (status: number, body: unknown) =>
  readRated(answer(status, body)).then(
    () => expect.unreachable('a refusal was read as a success'),
    (e: unknown) => {
      if (!(e instanceof RateRequestError)) throw e;
      return { status: e.status, code: e.code, message: e.message };
    },
  );

describe('readRated', () => {
  it('answers the body of a success', async () => {
    await expect(readRated(answer(200, { saved: true }))).resolves.toEqual({ saved: true });
  });

  it("reads a refusal's error envelope", async () => {
    expect(await refusal(409, { error: { code: 'conflict', message: 'the scenario was edited' } })).toEqual({
      status: 409,
      code: 'conflict',
      message: 'the scenario was edited',
    });
  });

  it('names the status when the body is no envelope', async () => {
    const fallback = { status: 502, code: 'internal', message: 'the server answered 502' };
    expect(await refusal(502, '<html>Bad gateway</html>')).toEqual(fallback);
    expect(await refusal(502, null)).toEqual(fallback);
    expect(await refusal(502, new SyntaxError('not JSON'))).toEqual(fallback);
    expect(await refusal(502, { error: 'down' })).toEqual(fallback);
    expect(await refusal(502, { error: { code: 7, message: ['x'] } })).toEqual(fallback);
  });

  it('says the server cannot be reached when the request never left', async () => {
    await expect(readRated(null)).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});
