import type { Leaderboard } from './runs.api.ts';

/**
 * The dimension the leaderboard ranks, when the judge version scores more than one; another than
 * the primary says what it measures, and that pass rates and verdict bands stay the primary's.
 */
export function DimensionPicker({ board, onChoose }: { board: Leaderboard; onChoose(dimension: string | null): void }) {
  return (
    <label className="run-dimension" data-testid="run-dimension">
      Dimension{' '}
      <select
        value={board.dimension.id}
        onChange={(e) => onChoose(e.target.value === 'alignment' ? null : e.target.value)}
      >
        {board.dimensions.map((d) => (
          <option key={d.id} value={d.id}>
            {d.id} ({d.scale.min}–{d.scale.max}, {d.direction === 'lower-better' ? 'lower' : 'higher'} is better)
          </option>
        ))}
      </select>{' '}
      {!board.dimension.primary && (
        <span className="muted">
          {board.dimension.description} No pass threshold: pass rates and verdict bands are the primary
          dimension&apos;s.
        </span>
      )}
    </label>
  );
}
