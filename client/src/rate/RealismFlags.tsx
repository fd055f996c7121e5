import { FLAG_CHOICES, flagLabel } from './flags.ts';
import { KeyHint } from './KeyHint.tsx';
import { keyLabel } from './keyMap.ts';
import type { RealismFlag } from './rateApi.ts';
import styles from './rate.module.css';

/**
 * What breaks realism: the Flag button, its picker (a user turn by its digit, the other kinds by
 * their letters; see useTaskKeys) and the chosen flags, each removable.
 */
export function RealismFlags({
  flags,
  turnCount,
  pickerOpen,
  onPickerOpen,
  onToggle,
}: {
  flags: RealismFlag[];
  turnCount: number;
  pickerOpen: boolean;
  onPickerOpen(open: boolean): void;
  onToggle(flag: RealismFlag): void;
}) {
  return (
    <div className="rate-flags">
      <div className={styles.rateFlagsHead}>
        <span className={styles.rateLabel}>What breaks realism?</span>
        <button
          type="button"
          className="btn btn-sm"
          aria-expanded={pickerOpen}
          data-testid="flag-button"
          onClick={() => onPickerOpen(!pickerOpen)}
        >
          Flag{' '}
          <KeyHint>
            <kbd>F</kbd>
          </KeyHint>
        </button>
      </div>
      {pickerOpen && (
        <div className={styles.flagPicker} role="group" aria-label="Flags" data-testid="flag-picker">
          {turnCount > 0 && (
            <div className={styles.flagRow}>
              <span className={styles.flagRowLabel}>A user turn:</span>
              {Array.from({ length: turnCount }, (_, i) => {
                const on = flags.some((f) => f.kind === 'user-turn' && f.turn === i);
                return (
                  <button
                    key={i}
                    type="button"
                    className={on ? `${styles.flagChip} ${styles.on}` : styles.flagChip}
                    aria-pressed={on}
                    onClick={() => onToggle({ kind: 'user-turn', turn: i })}
                  >
                    {i < 9 ? (
                      <KeyHint>
                        <kbd>{i + 1}</kbd>{' '}
                      </KeyHint>
                    ) : null}
                    Turn {i + 1}
                  </button>
                );
              })}
            </div>
          )}
          <div className={styles.flagRow}>
            {FLAG_CHOICES.map((c) => {
              const on = flags.some((f) => f.kind === c.kind);
              return (
                <button
                  key={c.kind}
                  type="button"
                  className={on ? `${styles.flagChip} ${styles.on}` : styles.flagChip}
                  aria-pressed={on}
                  onClick={() => onToggle({ kind: c.kind })}
                >
                  <KeyHint>
                    <kbd>{keyLabel(c.key)}</kbd>{' '}
                  </KeyHint>
                  {c.label}
                </button>
              );
            })}
          </div>
          <button type="button" className="btn btn-sm" onClick={() => onPickerOpen(false)}>
            Done{' '}
            <KeyHint>
              <kbd>Esc</kbd>
            </KeyHint>
          </button>
        </div>
      )}
      {flags.length > 0 && (
        <ul className={styles.flagList} data-testid="chosen-flags" aria-label="Your flags">
          {flags.map((f) => (
            <li key={`${f.kind}-${f.turn ?? ''}`} className={`${styles.flagChip} ${styles.on}`}>
              {flagLabel(f)}
              <button
                type="button"
                className={styles.flagRemove}
                aria-label={`Remove flag: ${flagLabel(f)}`}
                onClick={() => onToggle(f)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
