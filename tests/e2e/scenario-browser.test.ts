import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioListResponse } from '../../schema/api/scenarios.ts';
import { startStudio, waitForEditor, type Studio } from './support/studio.ts';

// The scenario browser over the shipped corpus: counts, filters in the URL, keyboard, empty state.

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio();
});
afterAll(() => studio?.close());

const api = async (query = ''): Promise<ScenarioListResponse> =>
  (await studio.server.fetch(`/api/scenarios${query}`)).json() as Promise<ScenarioListResponse>;
const countOf = async (page: Page, testId: string) =>
  Number(await page.getByTestId(testId).locator('.count').innerText());
const rowIds = (page: Page) =>
  page.getByTestId('scenario-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));

describe('the scenario browser', () => {
  it('shows counts per category and behaviour that match the corpus', async () => {
    const all = await api();
    const { page } = await studio.openPage('/studio');
    await expect.poll(() => page.getByTestId('result-count').innerText()).toBe(`${all.total} scenarios`);
    for (const [category, n] of Object.entries(all.facets.category)) {
      await expect.poll(() => countOf(page, `category-${category}`)).toBe(n);
    }
    await page.getByTestId('category-honesty').click();
    const honesty = await api('?category=honesty');
    await expect
      .poll(() => page.getByTestId('result-count').innerText())
      .toBe(`${honesty.total} scenario${honesty.total === 1 ? '' : 's'}`);
    for (const [behaviour, n] of Object.entries(honesty.facets.behavior)) {
      expect(await countOf(page, `behaviour-${behaviour}`)).toBe(n);
    }
  });

  it('mirrors every filter in the URL, so a reload or a shared link shows the same list', async () => {
    const { page } = await studio.openPage('/studio');
    await page.getByTestId('category-honesty').click();
    await page.getByTestId('filter-difficulty').selectOption('high');
    await page.getByTestId('search-input').fill('the');
    await expect.poll(() => new URL(page.url()).search).toBe('?category=honesty&difficulty=high&q=the');
    const expected = (await api('?category=honesty&difficulty=high&q=the')).items.map((i) => i.id);
    await expect.poll(() => rowIds(page)).toEqual(expected.slice(0, (await rowIds(page)).length));

    // Each row says where the word matched, the word marked in its context.
    const firstMatch = page.getByTestId('scenario-row').first().getByTestId('search-match');
    await expect.poll(() => firstMatch.locator('mark').innerText()).toBe('the');
    expect(await firstMatch.innerText()).toMatch(/^(title|summary|tag|turn \d+|tactic of turn \d+|id|behaviour): /);

    await page.reload();
    expect(await page.getByTestId('filter-difficulty').inputValue()).toBe('high');
    expect(await page.getByTestId('search-input').inputValue()).toBe('the');
    await expect
      .poll(() => page.getByTestId('result-count').innerText())
      .toBe(`${expected.length} scenario${expected.length === 1 ? '' : 's'}`);

    await page.getByTestId('clear-filters').click();
    await expect.poll(() => new URL(page.url()).search).toBe('');
  });

  it('is driven by keyboard: / to search, arrows to move, Enter to open', async () => {
    const { page } = await studio.openPage('/studio?category=honesty');
    await page.getByTestId('scenario-row').first().waitFor();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search-input');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('scenario-list');
    await page.keyboard.press('ArrowDown');
    const second = (await rowIds(page))[1]!;
    expect(await page.locator('[data-testid="scenario-row"][aria-selected="true"]').getAttribute('data-id')).toBe(
      second,
    );
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/studio/scenarios/${second}`);
    await waitForEditor(page);
  });

  it('says clearly when nothing matches, and clears the filters in one click', async () => {
    const { page } = await studio.openPage('/studio?q=no-scenario-says-this-zzqx');
    await page.getByTestId('empty-state').waitFor();
    expect(await page.getByTestId('empty-state').innerText()).toContain('No scenarios match');
    await page.getByTestId('clear-filters-empty').click();
    await page.getByTestId('scenario-row').first().waitFor();
    expect(new URL(page.url()).search).toBe('');
  });
});
