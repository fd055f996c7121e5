import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdminInvite } from '../../server/people/first-admin.ts';
import { startStudio, type Studio } from './support/studio.ts';

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio();
});
afterAll(() => studio.close());

async function freshPage(path: string) {
  const context = await studio.browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(studio.server.url + path);
  return { context, page };
}

describe('signing in', () => {
  it('sends a stranger from the studio to sign in, and back after signing in', async () => {
    // An author account made through an invite link, as an admin would hand it out.
    const invite = (await (
      await studio.server.fetch('/api/admin/invites', { method: 'POST', body: JSON.stringify({ role: 'author' }) })
    ).json()) as { url: string; token: string };
    const { context, page } = await freshPage(`/join/${invite.token}`);
    await page.getByTestId('join-name').fill('Ada Author');
    await page.getByTestId('join-email').fill('ada@example.com');
    await page.getByTestId('join-password').fill('a long enough password');
    await page.getByTestId('join-submit').click();
    await page.getByTestId('signed-in-as').getByText('Ada Author').waitFor();
    await context.close();

    const second = await freshPage('/studio?behavior=sycophancy');
    await second.page.waitForURL(/\/signin\?next=/);
    await second.page.getByLabel('Email').fill('ada@example.com');
    await second.page.getByLabel('Password').fill('wrong password');
    await second.page.getByRole('button', { name: 'Sign in' }).click();
    await second.page.getByRole('alert').getByText('wrong email or password').waitFor();
    await second.page.getByLabel('Password').fill('a long enough password');
    await second.page.getByRole('button', { name: 'Sign in' }).click();
    await second.page.waitForURL(/\/studio\?behavior=sycophancy$/);
    await second.page.getByTestId('scenario-row').first().waitFor();
    await second.context.close();
  });

  it('keeps the join form and says why when the server refuses the account, then joins on a second try', async () => {
    const invite = (await (
      await studio.server.fetch('/api/admin/invites', {
        method: 'POST',
        body: JSON.stringify({ role: 'author', maxUses: 2 }),
      })
    ).json()) as { token: string };
    const taken = await studio.server.fetch(`/api/auth/invites/${invite.token}/accept`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Bea First', email: 'bea@example.com', password: 'a long enough password' }),
    });
    expect(taken.status).toBe(201);

    const { context, page } = await freshPage(`/join/${invite.token}`);
    await page.getByTestId('join-name').fill('Bea Second');
    await page.getByTestId('join-email').fill('bea@example.com');
    await page.getByTestId('join-password').fill('another long password');
    await page.getByTestId('join-submit').click();
    await page.getByRole('alert').getByText('an account with this email exists; sign in instead').waitFor();
    // Nothing was made and the form is as it was, ready for another try.
    expect(page.url()).toBe(`${studio.server.url}/join/${invite.token}`);
    expect(await page.getByTestId('join-submit').isEnabled()).toBe(true);
    expect(await page.getByTestId('join-submit').textContent()).toBe('Create account');
    expect(await page.getByTestId('join-name').inputValue()).toBe('Bea Second');
    await page.getByTestId('join-email').fill('bea.second@example.com');
    await page.getByTestId('join-submit').click();
    await page.getByTestId('signed-in-as').getByText('Bea Second').waitFor();
    await context.close();
  });

  it('lets the first admin in through the one-time link the server prints', async () => {
    // A fresh instance has no admin; the test server's own admin is removed to get there.
    await studio.server.db.deleteFrom('user').where('role', '=', 'admin').execute();
    const token = await firstAdminInvite(studio.server.db);
    expect(token).not.toBeNull();
    const { context, page } = await freshPage(`/join/${token}`);
    await page.getByText('You are invited as an admin.').waitFor();
    await page.getByTestId('join-name').fill('First Admin');
    await page.getByTestId('join-email').fill('admin@example.com');
    await page.getByTestId('join-password').fill('first admin password');
    await page.getByTestId('join-submit').click();
    await page.getByTestId('signed-in-as').getByText('First Admin').waitFor();
    // The link works once.
    const again = await freshPage(`/join/${token}`);
    await again.page.getByText('this invite link is unknown, used up or expired').waitFor();
    await Promise.all([context.close(), again.context.close()]);
  });
});
