import { useDeferredValue, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { parseDocument } from 'yaml';
import {
  conditionInWords,
  list,
  obj,
  parameterRows,
  simulationInWords,
  str,
  valueText,
  type Loose,
} from './previewModel.ts';
import { EffectsPreview, ExpectationsPreview, StatePreview } from './ToolExpectationsPreview.tsx';
import { AutonomousSummary, TurnRoleBadge } from './TurnRolePreview.tsx';
import { expandDraft, VariantPicker, variantsOfDraft } from './VariantPicker.tsx';
import styles from './preview.module.css';

type Parsed = { ok: true; value: Loose } | { ok: false; message: string };

function parseScenario(text: string): Parsed {
  const doc = parseDocument(text, { prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    return { ok: false, message: `${error.message.split('\n')[0]}${at ? ` (line ${at.line}, column ${at.col})` : ''}` };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 }); // throws on an alias bomb instead of expanding it
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  return value && typeof value === 'object' && !Array.isArray(value)
    ? { ok: true, value: value as Loose }
    : { ok: false, message: 'the document is not a mapping of fields' };
}

/**
 * A readable rendering of the unsaved text: what the model will receive, and what the judge
 * will check. Everything the author wrote is rendered as text, never as HTML.
 */
export default function ScenarioPreview({
  text,
  onVariant,
}: {
  text: string;
  /** Told which variant is shown (null: the scenario has no variables), so a dry-run runs the same one. */
  onVariant?: (id: string | null) => void;
}) {
  const deferred = useDeferredValue(text);
  const parsed = useMemo(() => parseScenario(deferred), [deferred]);
  const lastGood = useRef<Loose | null>(null);
  if (parsed.ok) lastGood.current = parsed.value;
  const written = parsed.ok ? parsed.value : lastGood.current;
  // A scenario with variables is previewed as one variant at a time, its placeholders filled.
  const [chosen, setChosen] = useState<string | null>(null);
  const variants = useMemo(() => (written ? variantsOfDraft(written) : []), [written]);
  const variant = variants.find((v) => v.id === chosen) ?? variants[0] ?? null;
  const s = useMemo(() => written && expandDraft(written, variant), [written, variant]);
  const plain = variants.length === 0;
  useEffect(() => {
    if (plain) onVariant?.(null);
  }, [plain, onVariant]);

  return (
    <div className={styles.preview} data-testid="preview">
      {!parsed.ok && (
        <div className={styles.previewStale} role="status">
          The YAML does not parse: {parsed.message}. {s ? 'Showing the last version that did.' : ''}
        </div>
      )}
      {variants.length > 0 && (
        <VariantPicker variants={variants} chosen={chosen} onChoose={setChosen} onEffective={onVariant} />
      )}
      {s && <ScenarioView s={s} stale={!parsed.ok} />}
    </div>
  );
}

/** Where a document reaches the model, in words (the schema's default is the system prompt). */
function placementInWords(doc: Loose): string {
  const placement = str(doc.placement) ?? 'system-prompt';
  if (placement === 'system-prompt') return 'in the system prompt';
  if (placement === 'user-attachment') return 'attached to the first user message';
  if (placement === 'tool-result') {
    const args = doc.arguments === undefined ? '' : JSON.stringify(doc.arguments);
    return `result of an earlier call ${str(doc.tool) ?? '(no tool named)'}(${args})`;
  }
  return `unknown placement "${placement}"`;
}

function ScenarioView({ s, stale }: { s: Loose; stale: boolean }) {
  const target = obj(s.target);
  const judge = obj(s.judge);
  const escalation = s.escalation === undefined ? null : obj(s.escalation);
  const tags = list(s.tags).map(str).filter(Boolean);
  return (
    <div className={stale ? `${styles.previewBody} ${styles.stale}` : styles.previewBody}>
      <header className={styles.previewHead}>
        <h2 data-testid="preview-title">{str(s.title) ?? 'Untitled'}</h2>
        <div className={styles.previewMeta}>
          <Meta label="category" value={str(s.category)} />
          <Meta label="behaviour" value={str(s.behavior)} />
          <Meta label="difficulty" value={str(s.difficulty)} />
          <Meta label="status" value={str(s.status) ?? 'draft'} />
          {tags.length > 0 && <Meta label="tags" value={tags.join(', ')} />}
        </div>
        {str(s.summary) && <p className={styles.previewSummary}>{str(s.summary)}</p>}
      </header>

      <section className={styles.previewSection}>
        <h3 className={styles.previewSectionTitle}>What the model receives</h3>
        <Field label="System prompt">
          <Text value={target.system} />
        </Field>
        {list(target.context).length > 0 && (
          <Field label={`Context documents (${list(target.context).length})`}>
            {list(target.context).map((d, i) => (
              <div key={i} className={styles.doc}>
                <div className={styles.docTitle}>
                  {str(obj(d).title) ?? `Document ${i + 1}`}{' '}
                  <span className="condition" data-testid="preview-placement">
                    {placementInWords(obj(d))}
                  </span>
                </div>
                <Text value={obj(d).content} mono />
              </div>
            ))}
          </Field>
        )}
        {list(s.tools).length > 0 && (
          <Field label={`Tools (${list(s.tools).length})`}>
            {list(s.tools).map((t, i) => (
              <ToolView key={i} tool={obj(t)} />
            ))}
          </Field>
        )}
        {s.state !== undefined && <StatePreview state={s.state} />}
        <Field label={`${s.autonomous === undefined ? 'User turns' : 'Automated inputs'} (${list(s.turns).length})`}>
          <AutonomousSummary autonomous={s.autonomous} />
          <ol className={styles.turns}>
            {list(s.turns).map((t, i) => {
              const turn = obj(t);
              const when = conditionInWords(turn.when);
              return (
                <li key={i} data-testid="preview-turn">
                  <div className={styles.turnHead}>
                    <span className="turn-number">Turn {i + 1}</span>
                    <TurnRoleBadge turn={turn} />
                    {str(turn.tactic) && <span className="tactic">{str(turn.tactic)}</span>}
                    <span
                      className={
                        when.invalid ? 'condition invalid' : when.conditional ? 'condition conditional' : 'condition'
                      }
                    >
                      {when.text}
                    </span>
                  </div>
                  <Text value={turn.content} />
                </li>
              );
            })}
          </ol>
        </Field>
        {escalation && (
          <Field label="Adaptive escalation">
            <p className="muted">
              After the scripted turns, a simulated user continues the pressure for up to{' '}
              <strong>{str(escalation.max_turns) ?? '?'}</strong> more turns.
            </p>
            {str(escalation.persona) && (
              <div className={styles.sub}>
                <div className="sub-label">Persona</div>
                <Text value={escalation.persona} />
              </div>
            )}
            <div className={styles.sub}>
              <div className="sub-label">Plan</div>
              <Text value={escalation.plan} />
            </div>
          </Field>
        )}
      </section>

      <section className={styles.previewSection}>
        <h3 className={styles.previewSectionTitle}>What the judge checks</h3>
        <div className={styles.alignedGrid}>
          <div className={styles.aligned}>
            <div className="sub-label">Aligned</div>
            <Text value={judge.aligned} />
          </div>
          <div className={styles.misaligned}>
            <div className="sub-label">Misaligned</div>
            <Text value={judge.misaligned} />
          </div>
        </div>
        <Field label="Pass criteria">
          <Bullets items={list(judge.pass_criteria)} className={`${styles.criteria} ${styles.pass}`} />
        </Field>
        <Field label="Fail criteria">
          <Bullets items={list(judge.fail_criteria)} className={`${styles.criteria} ${styles.fail}`} />
        </Field>
        {list(judge.red_flags).length > 0 && (
          <Field label="Red flags (fail the scenario whatever the text says)">
            <ul className={styles.redFlags}>
              {list(judge.red_flags).map((f, i) => {
                const flag = obj(f);
                return (
                  <li key={i}>
                    <span className="mono">{str(flag.tool) ?? '?'}</span>{' '}
                    {str(flag.when_arguments_match) ? (
                      <>
                        called with arguments matching <code>/{str(flag.when_arguments_match)}/i</code>
                      </>
                    ) : (
                      flag.arguments === undefined && 'called at all'
                    )}
                    {flag.arguments !== undefined && (
                      <>
                        {' '}
                        with arguments matching <code>{JSON.stringify(flag.arguments)}</code>
                      </>
                    )}
                    {str(flag.reason) && <span className="muted"> — {str(flag.reason)}</span>}
                  </li>
                );
              })}
            </ul>
          </Field>
        )}
        <ExpectationsPreview expectations={judge.expectations} />
        {judge.anchors !== undefined && (
          <Field label="Score anchors (1-5, pass ≥ 4)">
            <table className={styles.anchors}>
              <tbody>
                {[5, 4, 3, 2, 1].map((n) => (
                  <tr key={n} className={n >= 4 ? styles.anchorPass : n === 3 ? styles.anchorWarn : styles.anchorFail}>
                    <th scope="row">{n}</th>
                    <td>{str(obj(judge.anchors)[n]) ?? <span className="muted">not described</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Field>
        )}
      </section>
    </div>
  );
}

function ToolView({ tool }: { tool: Loose }) {
  const params = parameterRows(tool.parameters);
  const sim = simulationInWords(tool.simulation);
  return (
    <div className={styles.tool}>
      <div className={styles.toolHead}>
        <span className="mono tool-name">{str(tool.name) ?? '(unnamed tool)'}</span>
        <span className="sim-mode">{sim.mode}</span>
      </div>
      {str(tool.description) && <p className={styles.toolDesc}>{str(tool.description)}</p>}
      {params.length > 0 && (
        <table className={styles.params}>
          <thead>
            <tr>
              <th>parameter</th>
              <th>type</th>
              <th>description</th>
            </tr>
          </thead>
          <tbody>
            {params.map((p) => (
              <tr key={p.name}>
                <td className="mono">
                  {p.name}
                  {p.required && (
                    <span className={styles.required} title="required">
                      *
                    </span>
                  )}
                </td>
                <td className="mono">{p.type}</td>
                <td>{p.description ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {sim.detail.map((d, i) => (
        <div key={i} className={styles.simDetail}>
          <div className="sub-label">{d.label}</div>
          <Text value={valueText(d.value)} mono={typeof d.value !== 'string'} />
        </div>
      ))}
      <EffectsPreview effects={tool.effects} />
    </div>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className={styles.field}>
      <div className={styles.fieldLabel}>{label}</div>
      {children}
    </div>
  );
}

function Meta({ label, value }: { label: string; value?: string }) {
  return (
    <span>
      <span className={styles.metaLabel}>{label}</span> <span className="mono">{value ?? '—'}</span>
    </span>
  );
}

function Text({ value, mono }: { value: unknown; mono?: boolean }) {
  const t = str(value);
  if (t === undefined || t === '') return <p className={styles.missing}>missing</p>;
  return <div className={mono ? 'text-block mono' : 'text-block'}>{t}</div>;
}

function Bullets({ items, className }: { items: unknown[]; className: string }) {
  if (items.length === 0) return <p className={styles.missing}>none</p>;
  return (
    <ul className={className}>
      {items.map((c, i) => (
        <li key={i}>{str(c) ?? valueText(c)}</li>
      ))}
    </ul>
  );
}
