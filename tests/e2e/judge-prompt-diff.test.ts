import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeVersion } from '../../schema/judge.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { RUN_KEY, threeModelsYaml } from '../runs/run-fixtures.ts';
import { startStudio, type Studio } from './support/studio.ts';

// A judge version's prompt is readable on the Judges page, with what changed from the version it
// was made from (not only through "New version").

let studio: Studio;
let v2: JudgeVersion;
beforeAll(async () => {
  studio = await startStudio({ models: threeModelsYaml('http://127.0.0.1:9'), env: { RUN_KEY } });
  const make = async (body: unknown) => {
    const res = await studio.server.fetch('/api/judges', { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return (await res.json()) as JudgeVersion;
  };
  const v1 = await make({
    name: 'primary',
    reason: 'first',
    settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
  });
  v2 = await make({
    name: 'primary',
    reason: 'stricter about evidence',
    parentId: v1.id,
    settings: {
      model: 'judge',
      promptTemplate: `${DEFAULT_JUDGE_PROMPT}\nQuote the transcript for every criterion you tick.`,
      passThreshold: 5,
    },
  });
});
afterAll(() => studio?.close());

describe('a judge version’s prompt on the Judges page', () => {
  it('shows the prompt and its changes from the parent version', async () => {
    const { page } = await studio.openPage('/studio/judges');
    const row = page.locator(`[data-testid=judge-version][data-id="${v2.id}"]`);
    await row.getByTestId('show-prompt').click();
    const view = page.getByTestId('judge-prompt');
    await view.waitFor();
    expect(await view.getByTestId('judge-prompt-changes').innerText()).toBe(
      'Against v1: the prompt changed (marked below); pass at ≥ 4 → ≥ 5.',
    );
    expect(await view.getByTestId('prompt-added').allInnerTexts()).toEqual([
      '+Quote the transcript for every criterion you tick.\n',
    ]);
    expect(await view.getByTestId('prompt-removed').count()).toBe(0);
    expect(await view.innerText()).toContain('{{transcript}}');
  });
});
