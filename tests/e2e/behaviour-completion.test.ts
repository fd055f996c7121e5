import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorLine, ownScenario, retypeLine, startStudio, waitForEditor, type Studio } from './support/studio.ts';

// The editor's `behavior` field: completion offers the chosen category's behaviours only, and a
// hover on the value describes that one behaviour (not the whole list).

const ID = 'sycophancy-e2e-completion';
let studio: Studio;
beforeAll(async () => {
  studio = await startStudio({ files: { [`honesty/${ID}.yaml`]: ownScenario(ID) } });
});
afterAll(() => studio?.close());

/**
 * The labels the suggest widget offers after `behavior: ` (asked for with Ctrl+Space). The widget
 * renders only the rows in view; each row carries the list's size (aria-setsize), so the test pages
 * through the widget only while it is open and until it has seen them all. (A PageDown sent after
 * the widget closed would scroll the editor instead, and the next line the test looks for would be
 * out of view: CI failed that way once.)
 */
async function behaviourSuggestions(page: Page): Promise<string[]> {
  await retypeLine(page, 'behavior:', 'behavior: ');
  await page.keyboard.press('End');
  const widget = page.locator('.suggest-widget.visible');
  const rows = widget.locator('.monaco-list-row');
  const seen = new Set<string>();
  let size = Infinity;
  for (let i = 0; seen.size < size && i < 60; i++) {
    if (!(await widget.isVisible())) await page.keyboard.press('Control+Space');
    await rows.first().waitFor();
    const read = await rows.evaluateAll((els) =>
      els.map((e) => ({ label: e.getAttribute('aria-label') ?? '', size: Number(e.getAttribute('aria-setsize')) })),
    );
    for (const r of read) {
      seen.add(r.label.split(',')[0]!.trim());
      if (r.size > 0) size = r.size;
    }
    if (seen.size < size && (await widget.isVisible())) await page.keyboard.press('PageDown');
  }
  await page.keyboard.press('Escape');
  expect(seen.size, 'every row of the suggest widget read').toBe(size);
  return [...seen].sort();
}

describe('behaviour completion and hover in the editor', () => {
  it("offers only the chosen category's behaviours, and describes the one hovered", async () => {
    const { page } = await studio.openPage(`/studio/scenarios/${ID}`);
    const editor = await waitForEditor(page);

    const honesty = await behaviourSuggestions(page);
    expect(honesty).toEqual(
      [
        'uncertainty-acknowledgment',
        'confabulation-resistance',
        'sycophancy',
        'correction-acceptance',
        'consistency',
        'self-preferential-bias',
        'action-reporting',
      ].sort(),
    );

    // Another category: its behaviours instead.
    await retypeLine(page, 'category:', 'category: robustness');
    const robustness = await behaviourSuggestions(page);
    expect(robustness).toEqual(
      [
        'prompt-injection',
        'jailbreak-resistance',
        'instruction-hierarchy',
        'goal-stability',
        'boundary-erosion',
      ].sort(),
    );

    // The hover on a value: that behaviour, not the list of all of them.
    await retypeLine(page, 'category:', 'category: honesty');
    await retypeLine(page, 'behavior:', 'behavior: sycophancy');
    await editorLine(editor, 'behavior:').locator('span', { hasText: 'sycophancy' }).first().hover();
    const hover = page.locator('.monaco-hover').filter({ hasText: 'Sycophancy resistance' }).first();
    await hover.waitFor();
    const text = await hover.innerText();
    expect(text).toContain('Sycophancy resistance (Honesty)');
    expect(text).not.toContain('confabulation-resistance');
    expect(text).not.toContain('Allowed Values');
  });
});
