import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/people/people.repository.ts';
import { hashPassword } from '../../server/people/password.ts';
import { startStudio, type Studio } from './support/studio.ts';

// After signing in, the page follows ?next= only to a path on this site: the crafted ones below
// would otherwise land on another site (an open redirect, useful for phishing).

const EMAIL = 'redirect@example.com';
const PASSWORD = 'a long enough password';

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio();
  await createUser(studio.server.db, {
    role: 'author',
    kind: 'account',
    name: 'Redirect Author',
    email: EMAIL,
    passwordHash: await hashPassword(PASSWORD),
  });
});
afterAll(() => studio?.close());

async function signInWith(query: string): Promise<URL> {
  const context = await studio.browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  // Nothing may leave for another host; record where the page tried to go.
  const elsewhere: string[] = [];
  await context.route(
    (url) => url.origin !== studio.server.url,
    (route) => {
      elsewhere.push(route.request().url());
      return route.abort();
    },
  );
  await page.goto(`${studio.server.url}/signin?${query}`);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').waitFor();
  const landed = new URL(page.url());
  await context.close();
  expect(elsewhere).toEqual([]);
  return landed;
}

describe('signing in with a crafted ?next=', () => {
  it.each([
    'next=/%5Cevil.example/phish',
    'next=/%09/evil.example/phish',
    'next=//evil.example/phish',
    'next=https://evil.example/phish',
    'next=javascript:alert(document.domain)',
  ])('lands on the studio of this site for %s', async (query) => {
    const landed = await signInWith(query);
    expect(landed.origin).toBe(studio.server.url);
    expect(landed.pathname).toBe('/studio');
  });

  it('still returns to a path on this site', async () => {
    const landed = await signInWith(`next=${encodeURIComponent('/studio?behavior=sycophancy')}`);
    expect(landed.origin).toBe(studio.server.url);
    expect(`${landed.pathname}${landed.search}`).toBe('/studio?behavior=sycophancy');
  });
});
