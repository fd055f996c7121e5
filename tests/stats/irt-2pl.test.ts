import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../server/stats/bootstrap.ts';
import { spearman } from '../../server/stats/correlation.ts';
import { fitTwoPl, type BinomialCell } from '../../server/stats/irt-2pl.ts';

interface Reference {
  observations: { model: string; item: string; score: number }[];
  twoPl: { logLikelihood: number; converged: boolean; probabilities: Record<string, number> };
}
const reference = JSON.parse(
  readFileSync(new URL('../fixtures/items/reference.json', import.meta.url), 'utf8'),
) as Reference;

/** Standard normal draws (Box-Muller) from the seeded uniform generator. */
function normal(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

describe('2PL by joint maximum likelihood', () => {
  it('recovers known item parameters from a simulated population (40 models x 300 items x 3 repeats)', () => {
    const random = seededRandom(19);
    const z = normal(random);
    const persons = 40;
    const items = 300;
    const theta = Array.from({ length: persons }, z);
    const a = Array.from({ length: items }, () => Math.exp(0.35 * z()));
    const b = Array.from({ length: items }, z);
    const cells: BinomialCell[] = [];
    for (let i = 0; i < persons; i++)
      for (let j = 0; j < items; j++) {
        const p = 1 / (1 + Math.exp(-a[j]! * (theta[i]! - b[j]!)));
        let passes = 0;
        for (let r = 0; r < 3; r++) if (random() < p) passes++;
        cells.push({ person: i, item: j, passes, trials: 3 });
      }
    const fit = fitTwoPl(cells, persons, items);
    expect(fit.converged).toBe(true);
    const free = [...Array(items).keys()].filter((j) => !fit.bounded[j]);
    expect(free.length).toBeGreaterThan(250);
    expect(
      spearman(
        free.map((j) => fit.b[j]!),
        free.map((j) => b[j]!),
      )!,
    ).toBeGreaterThanOrEqual(0.9);
    expect(
      spearman(
        free.map((j) => fit.a[j]!),
        free.map((j) => a[j]!),
      )!,
    ).toBeGreaterThanOrEqual(0.7);
    expect(spearman(fit.theta, theta)!).toBeGreaterThanOrEqual(0.95);
  });

  it('reaches the maximum scipy L-BFGS-B finds with the same bounds (log-likelihood and fitted probabilities)', () => {
    const models = [...new Set(reference.observations.map((o) => o.model))].sort();
    const itemIds = [...new Set(reference.observations.map((o) => o.item))].sort();
    const cellOf = new Map<string, BinomialCell>();
    for (const o of reference.observations) {
      const key = `${o.model}|${o.item}`;
      const c = cellOf.get(key) ?? {
        person: models.indexOf(o.model),
        item: itemIds.indexOf(o.item),
        passes: 0,
        trials: 0,
      };
      c.trials++;
      if (o.score >= 4) c.passes++;
      cellOf.set(key, c);
    }
    const fit = fitTwoPl([...cellOf.values()], models.length, itemIds.length);
    expect(fit.converged).toBe(true);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(reference.twoPl.logLikelihood - 0.05);
    let worst = 0;
    for (const [key, c] of cellOf) {
      const p = 1 / (1 + Math.exp(-fit.a[c.item]! * (fit.theta[c.person]! - fit.b[c.item]!)));
      worst = Math.max(worst, Math.abs(p - reference.twoPl.probabilities[key]!));
    }
    expect(worst).toBeLessThan(0.02);
  });

  it('puts an item every model passes on a bound and says so', () => {
    const cells: BinomialCell[] = [];
    for (let i = 0; i < 5; i++) {
      cells.push({ person: i, item: 0, passes: 2, trials: 2 });
      cells.push({ person: i, item: 1, passes: i >= 2 ? 2 : 0, trials: 2 });
      cells.push({ person: i, item: 2, passes: i % 2 ? 1 : 2, trials: 2 });
    }
    const fit = fitTwoPl(cells, 5, 3);
    expect(fit.bounded[0]).toBe(true);
    expect(fit.b[0]).toBeLessThan(fit.b[2]!);
  });
});
