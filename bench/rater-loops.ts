// The load the rater benches make (rating-load, annotation-load): simulated raters, each looping
// next-task and submit against the server over HTTP, with a pause after every request.

/** What a rater's cycle asks the server: its next task, and the submit of a task it was given. */
export interface RaterCycle {
  nextUrl: string;
  submit(task: { leaseId: string }): { url: string; body: unknown };
  /**
   * A "done" answer to next ends that rater's loop (a realism study can fill up); when false it is
   * counted as an error (a study made never to fill).
   */
  doneEnds: boolean;
}

export interface RaterLoopsResult {
  latency: { next: number[]; submit: number[] };
  errors: number;
  /** The first few failures, as "next 500" or "submit 409 <body>". */
  errorSamples: string[];
  /** Raters told there was nothing left before the pass ended. */
  ended: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every rater (its request headers: session cookie and CSRF token) loops `cycle` for `seconds`,
 * arriving within the first second and pausing `pauseMs()` after each request (and 100 ms more after
 * a failed next).
 */
export async function raterLoops(
  raters: Record<string, string>[],
  cycle: RaterCycle,
  pauseMs: () => number,
  seconds: number,
): Promise<RaterLoopsResult> {
  const result: RaterLoopsResult = { latency: { next: [], submit: [] }, errors: 0, errorSamples: [], ended: 0 };
  const fail = (sample: string) => {
    result.errors++;
    if (result.errorSamples.length < 5) result.errorSamples.push(sample);
  };
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    raters.map(async (headers) => {
      await sleep(Math.random() * 1000);
      while (performance.now() < until) {
        let t = performance.now();
        const nextRes = await fetch(cycle.nextUrl, { headers });
        const next = (await nextRes.json()) as { kind: string; leaseId?: string };
        result.latency.next.push(performance.now() - t);
        if (nextRes.status !== 200 || (next.kind !== 'task' && !cycle.doneEnds)) {
          fail(`next ${nextRes.status} ${next.kind}`);
          await sleep(pauseMs() + 100);
          continue;
        }
        if (next.kind !== 'task') {
          result.ended++;
          return;
        }
        await sleep(pauseMs());
        const { url, body } = cycle.submit({ leaseId: next.leaseId! });
        t = performance.now();
        const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
        result.latency.submit.push(performance.now() - t);
        if (res.status !== 201) fail(`submit ${res.status} ${await res.text()}`);
        else await res.body?.cancel();
        await sleep(pauseMs());
      }
    }),
  );
  return result;
}

/** `count` raters who accepted invite `token` (named `${name} ${i}`): the request headers of each. */
export function ratersViaInvite(
  url: string,
  token: string,
  count: number,
  name: string,
): Promise<Record<string, string>[]> {
  const json = { 'content-type': 'application/json' };
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const res = await fetch(`${url}/api/auth/invites/${token}/accept`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: `${name} ${i}` }),
      });
      if (res.status !== 201) throw new Error(`invite not accepted: ${res.status} ${await res.text()}`);
      return {
        ...json,
        cookie: res.headers.get('set-cookie')!.split(';')[0]!,
        'x-csrf-token': ((await res.json()) as { me: { csrfToken: string } }).me.csrfToken,
      };
    }),
  );
}
