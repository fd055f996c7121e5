import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type Ref } from 'react';
import { Link } from 'wouter';
import type { ScenarioSummary } from '../../../../schema/api/scenarios.ts';
import { DifficultyBadge, ProblemBadge, StatusBadge } from '../../components/Badges.tsx';
import { ValidatedBadge } from '../studies/ValidatedBadge.tsx';
import styles from './browser.module.css';

interface ScenarioListProps {
  ref?: Ref<HTMLDivElement>;
  /** Rows in the whole list, fetched or not: the scroll height and End reach the last one. */
  count: number;
  /** A row, or undefined while its window is being fetched (shown as a placeholder). */
  itemAt(index: number): ScenarioSummary | undefined;
  /** The rows in view (with overscan) changed: the caller fetches the windows that hold them. */
  onVisibleRows(first: number, last: number): void;
  active: number;
  onActiveChange(index: number): void;
  onOpen(index: number): void;
  /** A row's link was followed with the mouse. */
  onFollow(index: number): void;
  behaviourName(id: string): string;
  loading: boolean;
}

const ROW_HEIGHT = 58;

/**
 * The scenario list, virtualised: only the rows in view (plus a few) are in the DOM, and only the
 * windows of rows in view are fetched, so 100,000 scenarios scroll and filter as fast as ten.
 * Arrow keys move the highlight, Enter opens.
 */
export function ScenarioList({
  ref,
  count,
  itemAt,
  onVisibleRows,
  active,
  onActiveChange,
  onOpen,
  onFollow,
  behaviourName,
  loading,
}: ScenarioListProps) {
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  useEffect(() => {
    if (count > 0) virtualizer.scrollToIndex(Math.min(active, count - 1), { align: 'auto' });
  }, [active, count, virtualizer]);

  const inView = virtualizer.getVirtualItems();
  const firstInView = inView[0]?.index ?? 0;
  const lastInView = inView[inView.length - 1]?.index ?? 0;
  useEffect(() => onVisibleRows(firstInView, lastInView), [firstInView, lastInView, onVisibleRows]);

  const pageSize = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
  const move = (to: number) => onActiveChange(Math.max(0, Math.min(count - 1, to)));

  return (
    <div
      ref={(el) => {
        scrollRef.current = el;
        if (typeof ref === 'function') ref(el);
        else if (ref) ref.current = el;
      }}
      className={loading ? `${styles.listScroll} ${styles.loading}` : styles.listScroll}
      role="listbox"
      aria-label="Scenarios"
      aria-activedescendant={active < count ? `scenario-row-${active}` : undefined}
      tabIndex={0}
      data-testid="scenario-list"
      onKeyDown={(e) => {
        const keys: Record<string, () => void> = {
          ArrowDown: () => move(active + 1),
          ArrowUp: () => move(active - 1),
          PageDown: () => move(active + pageSize),
          PageUp: () => move(active - pageSize),
          Home: () => move(0),
          End: () => move(count - 1),
          Enter: () => onOpen(active),
        };
        const action = keys[e.key];
        if (action && !e.altKey && !e.ctrlKey && !e.metaKey) {
          e.preventDefault();
          action();
        }
      }}
    >
      <div className={styles.listInner} style={{ height: virtualizer.getTotalSize() }}>
        {inView.map((row) => {
          const s = itemAt(row.index);
          if (!s) {
            return (
              <div
                key={`loading-${row.index}`}
                id={`scenario-row-${row.index}`}
                role="option"
                aria-selected={row.index === active}
                aria-busy="true"
                className={row.index === active ? `${styles.row} ${styles.active}` : styles.row}
                data-testid="scenario-row-loading"
                style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
                onMouseMove={() => row.index !== active && onActiveChange(row.index)}
              >
                <div className={`${styles.rowLine} muted`}>Loading…</div>
              </div>
            );
          }
          return (
            <Link
              key={s.relPath}
              href={`/studio/scenarios/${s.id}`}
              id={`scenario-row-${row.index}`}
              role="option"
              aria-selected={row.index === active}
              tabIndex={-1}
              className={row.index === active ? `${styles.row} ${styles.active}` : styles.row}
              data-testid="scenario-row"
              data-id={s.id}
              style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
              onMouseMove={() => row.index !== active && onActiveChange(row.index)}
              onClick={() => onFollow(row.index)}
            >
              <div className={styles.rowLine}>
                <span className={styles.rowTitle}>{s.title || <em>untitled</em>}</span>
                <ProblemBadge errors={s.errorCount} warnings={s.warningCount} />
                <span className="spacer" />
                {s.validated && <ValidatedBadge />}
                <DifficultyBadge difficulty={s.difficulty} />
                <StatusBadge status={s.status} />
              </div>
              <div className={`${styles.rowLine} ${styles.rowMeta}`}>
                <span className={`mono ${styles.rowId}`}>{s.id}</span>
                <span className="dot">·</span>
                <span>{behaviourName(s.behavior)}</span>
                <span className="spacer" />
                {s.match && <SearchMatchExcerpt match={s.match} />}
                <span title="scripted user turns">
                  {s.turnCount} turn{s.turnCount === 1 ? '' : 's'}
                </span>
                <span className="dot">·</span>
                <span title="simulated tools">
                  {s.toolCount} tool{s.toolCount === 1 ? '' : 's'}
                </span>
              </div>
            </Link>
          );
        })}
      </div>
    </div>
  );
}

const MATCH_FIELD_LABELS: Record<NonNullable<ScenarioSummary['match']>['field'], string> = {
  id: 'id',
  title: 'title',
  summary: 'summary',
  behaviour: 'behaviour',
  tag: 'tag',
  turn: 'turn',
  tactic: 'tactic of turn',
};

/** Where a search matched: "turn 3: …the <mark>password</mark> is…", so the author sees why a row is listed. */
function SearchMatchExcerpt({ match }: { match: NonNullable<ScenarioSummary['match']> }) {
  const label = `${MATCH_FIELD_LABELS[match.field]}${match.turn !== undefined ? ` ${match.turn}` : ''}`;
  const { excerpt, start, length } = match;
  return (
    <span className={styles.rowMatch} data-testid="search-match" title={`Matched in ${label}: ${excerpt}`}>
      <span className={styles.rowMatchField}>{label}:</span> {excerpt.slice(0, start)}
      <mark>{excerpt.slice(start, start + length)}</mark>
      {excerpt.slice(start + length)}
    </span>
  );
}
