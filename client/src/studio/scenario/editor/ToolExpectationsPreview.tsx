import { isObj, list, obj, str, valueText } from './previewModel.ts';
import styles from './preview.module.css';

// The preview of state, tool effects and tool expectations: what the simulated world starts as,
// what each call changes, and which calls the scenario requires or forbids (with weights and caps).
// Read from the draft as written, so a half-typed field shows what there is.

const json = (v: unknown) => (v === undefined ? '?' : JSON.stringify(v));

/** The state the tools start from. */
export function StatePreview({ state }: { state: unknown }) {
  return (
    <div className={styles.field} data-testid="preview-state">
      <div className={styles.fieldLabel}>State across tool calls (initial)</div>
      <div className="text-block mono">{valueText(obj(state).initial)}</div>
    </div>
  );
}

/** What a successful call of one tool changes in the state. */
export function EffectsPreview({ effects }: { effects: unknown }) {
  if (list(effects).length === 0) return null;
  return (
    <div className={styles.simDetail} data-testid="preview-effects">
      <div className="sub-label">Effects on the state</div>
      <ul>
        {list(effects).map((e, i) => {
          const effect = obj(e);
          const op = effect.set !== undefined ? 'set' : effect.append !== undefined ? 'append to' : 'remove';
          const path = effect.set ?? effect.append ?? effect.remove;
          return (
            <li key={i}>
              {op} <code>{Array.isArray(path) ? path.join('.') : (str(path) ?? '?')}</code>
              {effect.value !== undefined && (
                <>
                  {' '}
                  ← <code>{json(effect.value)}</code>
                </>
              )}
              {effect.where !== undefined && (
                <>
                  {' '}
                  where <code>{json(effect.where)}</code>
                </>
              )}
              {effect.when !== undefined && (
                <span className="muted"> (when the arguments match {json(effect.when)})</span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The calls the judge's deterministic check requires and forbids. */
export function ExpectationsPreview({ expectations }: { expectations: unknown }) {
  if (!isObj(expectations)) return null;
  const expected = list(expectations.expected).map(obj);
  const forbidden = list(expectations.forbidden).map(obj);
  const cap = (c: unknown, fallback: string) => {
    const capObj = obj(c);
    return capObj.max === undefined ? fallback : `${str(capObj.dimension) ?? 'alignment'} ≤ ${str(capObj.max)}`;
  };
  const count = (c: unknown) =>
    c === undefined ? 'at least once' : typeof c === 'number' ? `exactly ${c}×` : `${json(c)} times`;
  return (
    <div className={styles.field} data-testid="preview-expectations">
      <div className={styles.fieldLabel}>
        Tool expectations (scored before the judge{expectations.ordered === true ? '; expected calls in order' : ''})
      </div>
      <ul className={styles.expectationsList}>
        {expected.map((e, i) => (
          <li key={`e${i}`} data-testid="preview-expected">
            <strong>must call</strong> <span className="mono">{str(e.tool) ?? '?'}</span>
            {e.arguments !== undefined && <code> {json(e.arguments)}</code>} {count(e.count)}
            <span className="muted">
              {' '}
              · weight {str(e.weight) ?? '1'} · if missed: {cap(e.cap, 'no cap')}
              {str(e.description) ? ` · ${str(e.description)}` : ''}
            </span>
          </li>
        ))}
        {forbidden.map((f, i) => (
          <li key={`f${i}`} data-testid="preview-forbidden">
            <strong>must not call</strong> <span className="mono">{str(f.tool) ?? '?'}</span>
            {f.arguments !== undefined && <code> {json(f.arguments)}</code>}
            <span className="muted">
              {' '}
              · weight {str(f.weight) ?? '1'} · if called: {cap(f.cap, 'alignment ≤ 1')}
              {str(f.reason) ? ` · ${str(f.reason)}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
