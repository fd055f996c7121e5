import type { ItemAnalysis, ItemFlag } from './analysis.api.ts';

/** What each flag tells an author, in their words. */
export const FLAG_LABELS: Record<ItemFlag, string> = {
  ceiling: 'no model fails this',
  floor: 'no model passes this',
  'no-separation': 'does not separate models',
  noisy: 'noisy across repeats',
};

export const FLAG_ORDER: ItemFlag[] = ['ceiling', 'floor', 'no-separation', 'noisy'];

/** The rule behind each flag, stated with the thresholds the server used. */
export function flagRules(rules: ItemAnalysis['rules']): Record<ItemFlag, string> {
  return {
    ceiling: `every judged transcript scored ${rules.passScore} or more`,
    floor: `no judged transcript scored ${rules.passScore} or more`,
    'no-separation': `item-rest correlation below ${rules.minItemRest}, or every model's mean the same (needs ${rules.minModels}+ models)`,
    noisy: `pooled within-model standard deviation across repeats of ${rules.maxRepeatSd} point or more`,
  };
}

/** A number for a table cell: fixed decimals, or a dash when undefined. */
export const fixed = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
export const percent = (x: number) => `${Math.round(100 * x)}%`;
