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

/** The labels the suggest widget offers after `behavior: ` (asked for with Ctrl+Space). */
async function behaviourSuggestions(page: Page): Promise<string[]> {
  await retypeLine(page, 'behavior:', 'behavior: ');
  await page.keyboard.press('End');
  await page.keyboard.press('Control+Space');
  const rows = page.locator('.suggest-widget.visible .monaco-list-row');
  await rows.first().waitFor();
  // The widget renders only the rows in view: read them from its aria labels, scrolling through.
  const seen = new Set<string>();
  for (let i = 0; i < 60; i++) {
    for (const label of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? '')))
      seen.add(label.split(',')[0]!.trim());
    const before = seen.size;
    await page.keyboard.press('PageDown');
    const after = new Set(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? '')));
    if (before === seen.size && [...after].every((l) => seen.has(l.split(',')[0]!.trim()))) break;
  }
  await page.keyboard.press('Escape');
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
