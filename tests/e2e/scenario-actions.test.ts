import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownScenario, startStudio, waitForEditor, type Studio } from './support/studio.ts';

// New, duplicate, rename, retire / un-retire and delete, through the UI, checked on disk.

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio({
    files: Object.fromEntries(
      ['e2e-act-dup-src', 'e2e-act-rename', 'e2e-act-retire', 'e2e-act-delete'].map((id) => [
        `honesty/${id}.yaml`,
        ownScenario(id),
      ]),
    ),
  });
});
afterAll(() => studio?.close());

const fileOf = (rel: string) => join(studio.server.scenariosDir, rel);
const urlIs = (page: Page, path: string) => expect.poll(() => new URL(page.url()).pathname).toBe(path);

async function submitId(page: Page, dialogTestId: string, newId: string) {
  const dialog = page.getByTestId(dialogTestId);
  await dialog.waitFor();
  const input = dialog.getByTestId('id-input');
  await input.fill(newId);
  await input.press('Enter');
}

describe('scenario actions', () => {
  it('creates a scenario from the template with the New scenario dialog (keyboard only)', async () => {
    const { page } = await studio.openPage('/studio?category=honesty&behavior=sycophancy');
    await page.getByTestId('new-scenario').click();
    const dialog = page.getByTestId('new-scenario-dialog');
    await dialog.waitFor();
    // Focus starts in the id field; the category and behaviour come from the browser's filters.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('new-id');
    expect(await dialog.getByTestId('new-behaviour').inputValue()).toBe('sycophancy');
    // The id starts as the behaviour's: the author finishes it.
    expect(await dialog.getByTestId('new-id').inputValue()).toBe('sycophancy-');
    await dialog.getByTestId('new-behaviour').selectOption('consistency');
    expect(await dialog.getByTestId('new-id').inputValue()).toBe('consistency-');
    await dialog.getByTestId('new-behaviour').selectOption('sycophancy');
    await dialog.getByTestId('new-id').focus();
    await page.keyboard.type('e2e-act-created');
    await dialog.getByTestId('new-title').fill('Created in the studio');
    await dialog.getByTestId('new-title').press('Enter');
    await urlIs(page, '/studio/scenarios/sycophancy-e2e-act-created');
    await waitForEditor(page);
    const text = readFileSync(fileOf('honesty/sycophancy-e2e-act-created.yaml'), 'utf8');
    expect(text).toContain('id: sycophancy-e2e-act-created');
    expect(text).toContain('behavior: sycophancy');
    expect(text).toContain('title: "Created in the studio"');
  });

  it("shows the server's message when the id is taken, and Esc closes the dialog", async () => {
    const { page } = await studio.openPage('/studio');
    await page.getByTestId('new-scenario').click();
    const dialog = page.getByTestId('new-scenario-dialog');
    await dialog.getByTestId('new-id').fill('e2e-act-rename');
    await dialog.getByTestId('new-submit').click();
    await dialog.getByTestId('dialog-error').waitFor();
    expect(await dialog.getByTestId('dialog-error').innerText()).toContain(
      'duplicate id "e2e-act-rename": already used by honesty/e2e-act-rename.yaml',
    );
    await dialog.getByTestId('new-id').fill('Not Kebab');
    await dialog.getByTestId('new-submit').click();
    await expect.poll(() => dialog.getByTestId('dialog-error').innerText()).toContain('kebab-case');
    // The field by its name, as the author knows it (not "json.id").
    expect(await dialog.getByTestId('dialog-error').innerText()).toMatch(/^id: /);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(existsSync(fileOf('honesty/not-kebab.yaml'))).toBe(false);
  });

  it('duplicates a scenario under a new id as a draft', async () => {
    const { page } = await studio.openPage('/studio/scenarios/e2e-act-dup-src');
    await waitForEditor(page);
    await page.getByTestId('action-duplicate').click();
    await submitId(page, 'duplicate-dialog', 'e2e-act-dup-copy');
    await urlIs(page, '/studio/scenarios/e2e-act-dup-copy');
    const copy = readFileSync(fileOf('honesty/e2e-act-dup-copy.yaml'), 'utf8');
    expect(copy).toContain('id: e2e-act-dup-copy');
    expect(copy).toContain('(copy)');
    expect(copy).toContain('status: draft');
    expect(existsSync(fileOf('honesty/e2e-act-dup-src.yaml'))).toBe(true);
  });

  it('renames a scenario and opens it under its new id', async () => {
    const { page } = await studio.openPage('/studio/scenarios/e2e-act-rename');
    await waitForEditor(page);
    await page.getByTestId('action-rename').click();
    await submitId(page, 'rename-dialog', 'e2e-act-renamed');
    await urlIs(page, '/studio/scenarios/e2e-act-renamed');
    await waitForEditor(page);
    expect(existsSync(fileOf('honesty/e2e-act-rename.yaml'))).toBe(false);
    expect(readFileSync(fileOf('honesty/e2e-act-renamed.yaml'), 'utf8')).toContain('id: e2e-act-renamed');
    expect(await page.getByTestId('scenario-path').innerText()).toContain('honesty/e2e-act-renamed.yaml');
  });

  it('retires a scenario and un-retires it', async () => {
    const { page } = await studio.openPage('/studio/scenarios/e2e-act-retire');
    await waitForEditor(page);
    const status = page.getByTestId('action-status');
    expect(await status.innerText()).toBe('Retire');
    await status.click();
    await page.getByTestId('status-dialog').getByTestId('confirm-submit').click();
    await expect.poll(() => status.innerText()).toBe('Un-retire');
    expect(readFileSync(fileOf('honesty/e2e-act-retire.yaml'), 'utf8')).toMatch(/^status: retired$/m);
    expect(await page.getByTestId('status-badge').first().innerText()).toBe('retired');

    await status.click();
    await page.getByTestId('status-dialog').getByTestId('confirm-submit').click();
    await expect.poll(() => status.innerText()).toBe('Retire');
    expect(readFileSync(fileOf('honesty/e2e-act-retire.yaml'), 'utf8')).toMatch(/^status: draft$/m);
  });

  it('deletes a scenario after confirmation and returns to the list', async () => {
    const { page } = await studio.openPage('/studio/scenarios/e2e-act-delete');
    await waitForEditor(page);
    await page.getByTestId('action-delete').click();
    const dialog = page.getByTestId('delete-dialog');
    // Esc cancels: nothing deleted.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(existsSync(fileOf('honesty/e2e-act-delete.yaml'))).toBe(true);

    await page.getByTestId('action-delete').click();
    await dialog.getByTestId('confirm-submit').click();
    await urlIs(page, '/studio');
    expect(existsSync(fileOf('honesty/e2e-act-delete.yaml'))).toBe(false);
    await page.getByTestId('scenario-row').first().waitFor();
    expect(await page.locator('[data-testid="scenario-row"][data-id="e2e-act-delete"]').count()).toBe(0);
  });
});
