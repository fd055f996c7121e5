import type { Leaderboard } from '../runs/leaderboard.ts';
import { csvCell } from '../runs/leaderboard.export.ts';

/**
 * A run's scores by scenario variable as CSV (long format): a row per variable, model ("(all)" for
 * every model together) and value, with the value's mean and, past the reference value, its paired
 * difference from the reference with the 95% bootstrap interval (empty below 5 matched cells).
 */
export function variableEffectsCsv(board: Leaderboard): string {
  const header = ['variable', 'model', 'value', 'mean', 'n', 'reference', 'difference', 'ci_low', 'ci_high', 'cells'];
  const lines = [[...header, 'scale', 'dimension'].join(',')];
  for (const effect of board.variables ?? []) {
    for (const v of effect.values) {
      const d = effect.differences.find((x) => x.value === v.value);
      lines.push(
        [
          effect.variable,
          effect.model ?? '(all)',
          v.value,
          v.mean,
          v.n,
          d?.reference ?? '(reference)',
          d?.difference,
          d?.ci?.low,
          d?.ci?.high,
          d?.cells,
          board.scale,
          board.dimension.id,
        ]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return lines.join('\r\n') + '\r\n';
}
