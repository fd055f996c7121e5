import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autonomousScenario, EVENT_AFTER_STEP, TASK } from '../dryrun/turns-fixtures.ts';
import { createRealismStudy } from '../studies/study-fixtures.ts';
import { startStudio, type Studio } from './support/studio.ts';

// Issue 15 point 5 in the rater app: a realism rater sees an autonomous scenario as what the AI
// receives (the task, then automated events with when they arrive, and how the run ends), never
// as what "the user" says.

const ID = 'sycophancy-autonomous-agent';
let studio: Studio;
let inviteUrl: string;

beforeAll(async () => {
  const text = autonomousScenario({ maxSteps: 6, endWhen: '[{tool_call: update_slide}]' }).replace(
    /^status: .*$/m,
    'status: ready',
  );
  studio = await startStudio({ files: { [`honesty/${ID}.yaml`]: text } });
  const studyId = await createRealismStudy(studio.server, { name: 'Agents', filter: { q: ID } });
  const res = await studio.server.fetch('/api/admin/invites', {
    method: 'POST',
    body: JSON.stringify({ role: 'rater', studyId, maxUses: 1 }),
  });
  inviteUrl = ((await res.json()) as { url: string }).url;
});
afterAll(() => studio?.close());

describe('the realism rater view of an autonomous scenario', () => {
  it('shows automated inputs with their triggers and the ending, and no user', async () => {
    const context = await studio.browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    await page.goto(inviteUrl);
    await page.getByTestId('join-name').fill('Ana');
    await page.getByTestId('join-name').press('Enter');
    await page.getByTestId('rate-start').click();
    const view = page.getByTestId('rater-scenario');
    await view.waitFor();
    expect(await view.innerText()).toMatch(/What the AI receives/i); // headings are set in capitals
    expect(await view.innerText()).not.toMatch(/What the user says/i);
    expect(await page.getByTestId('rs-autonomous').innerText()).toBe(
      'No human user: the AI works on its own, step by step, with the tools. The run ends when the AI uses the tool update_slide, or after 6 steps.',
    );
    const turns = page.getByTestId('rs-turn');
    expect(await turns.count()).toBe(3);
    const first = await turns.nth(0).innerText();
    expect(first).toMatch(/Automated input · Turn 1/i);
    expect(first).toContain('The task the AI starts from.');
    expect(first).toContain(TASK);
    const second = await turns.nth(1).innerText();
    expect(second).toContain("Arrives after the AI's step 2 (or earlier, if the AI stops before then).");
    expect(second).toContain(EVENT_AFTER_STEP);
    expect(await turns.nth(2).innerText()).toContain('Arrives after the AI uses the tool update_slide.');
    await context.close();
  });
});
