import type { RaterScenario } from '../../../schema/api/studies.ts';
import { hasFlag } from './flags.ts';
import type { RealismFlag } from './rateApi.ts';
import styles from './rate.module.css';

interface ScenarioViewProps {
  scenario: RaterScenario;
  flags: RealismFlag[];
  onToggleTurnFlag(turn: number): void;
}

/**
 * The scenario as the AI model meets it: the operator's system prompt, the documents in its
 * context, the tools it may call, then what the user says, turn by turn. Everything is text.
 */
export function ScenarioView({ scenario, flags, onToggleTurnFlag }: ScenarioViewProps) {
  return (
    <article className={styles.rs} data-testid="rater-scenario" aria-label="The scenario">
      <section className={styles.rsSection}>
        <h2 className={styles.rsHeading}>Operator's system prompt</h2>
        <p className={styles.rsNote}>Set by the company deploying the AI; the user does not see it.</p>
        <div className={styles.rsText} data-testid="rs-system">
          {scenario.system}
        </div>
      </section>

      {scenario.context.length > 0 && (
        <section className={styles.rsSection}>
          <h2 className={styles.rsHeading}>Documents the model has</h2>
          {scenario.context.map((doc, i) => (
            <div className={styles.rsDoc} key={i}>
              <h3 className={styles.rsDocTitle}>{doc.title}</h3>
              <p className={styles.rsNote}>
                {doc.placement === 'user-attachment'
                  ? 'Attached by the user to their first message.'
                  : doc.placement === 'tool-result'
                    ? `Returned earlier by the tool ${doc.tool ?? ''}, before the user wrote.`
                    : "Part of the operator's system prompt."}
              </p>
              <div className={styles.rsText}>{doc.content}</div>
            </div>
          ))}
        </section>
      )}

      {scenario.tools.length > 0 && (
        <section className={styles.rsSection}>
          <h2 className={styles.rsHeading}>Tools the model can use</h2>
          {scenario.tools.map((tool) => (
            <div className={styles.rsTool} key={tool.name}>
              <ToolSignature name={tool.name} parameters={tool.parameters} />
              <p className={styles.rsToolDesc}>{tool.description}</p>
              {tool.simulatedByModel ? (
                <p className={`${styles.rsNote} ${styles.rsSim}`}>
                  Its results are written on the spot by a simulator model, following the author's instructions.
                </p>
              ) : null}
              {tool.exampleResult !== null && (
                <details className={styles.rsExample}>
                  <summary>Example result</summary>
                  <pre className={styles.rsCode}>{JSON.stringify(tool.exampleResult, null, 2)}</pre>
                </details>
              )}
            </div>
          ))}
        </section>
      )}

      <section className={styles.rsSection}>
        <h2 className={styles.rsHeading}>{scenario.autonomous ? 'What the AI receives' : 'What the user says'}</h2>
        {scenario.autonomous && (
          <p className={styles.rsNote} data-testid="rs-autonomous">
            {scenario.autonomous}
          </p>
        )}
        {scenario.turns.some((t) => t.condition) && (
          <p className={styles.rsNote}>
            Turns are sent in order; a turn marked “only if” is sent only when that holds.
          </p>
        )}
        <ol className={styles.rsTurns}>
          {scenario.turns.map((turn, i) => {
            const flagged = hasFlag(flags, { kind: 'user-turn', turn: i });
            return (
              <li
                className={flagged ? `${styles.rsTurn} ${styles.flagged}` : styles.rsTurn}
                key={i}
                data-testid="rs-turn"
              >
                <div className={styles.rsTurnHead}>
                  <span className={styles.rsTurnNumber}>
                    {turn.role ? `${TURN_ROLE_LABELS[turn.role]} · ` : ''}Turn {i + 1}
                  </span>
                  <span className={styles.rsCondition}>
                    {turn.condition ? `Sent ${turn.condition}` : (turn.trigger ?? ROLE_NOTES[turn.role ?? 'user'])}
                  </span>
                  <button
                    type="button"
                    className={flagged ? `${styles.rsTurnFlag} ${styles.on}` : styles.rsTurnFlag}
                    aria-pressed={flagged}
                    title="Flag this turn as breaking realism"
                    onClick={() => onToggleTurnFlag(i)}
                  >
                    {flagged ? '⚑ Flagged' : '⚑ Flag'}
                  </button>
                </div>
                <div className={`${styles.rsText} ${turn.role ? ROLE_CLASS[turn.role] : styles.rsUser}`}>
                  {turn.content}
                </div>
              </li>
            );
          })}
        </ol>
        {scenario.adaptive && (
          <p className={`${styles.rsNote} ${styles.rsAdaptive}`}>
            {scenario.adaptive} (They are played by a simulator model.)
          </p>
        )}
      </section>
    </article>
  );
}

type TurnRole = NonNullable<RaterScenario['turns'][number]['role']>;
const ROLE_CLASS: Record<TurnRole, string | undefined> = {
  assistant: styles.rsAssistant,
  prefill: styles.rsPrefill,
  automated: styles.rsAutomated,
};

/** Turns not from the user say who they are from: no "user" where there is none. */
const TURN_ROLE_LABELS: Record<TurnRole, string> = {
  assistant: "The AI's earlier answer",
  prefill: "Start of the AI's answer",
  automated: 'Automated input',
};
const ROLE_NOTES: Record<TurnRole | 'user', string> = {
  user: '',
  assistant: 'Written by the scenario author; the AI takes it as its own earlier reply.',
  prefill: 'Written by the scenario author; the AI continues writing from here.',
  automated: '',
};

interface JsonSchemaProperty {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  items?: { type?: string };
}

type ObjectSchema = { properties?: Record<string, JsonSchemaProperty>; required?: string[] } | null;

const propertiesOf = (parameters: unknown) => {
  const schema = parameters as ObjectSchema;
  if (!schema || typeof schema !== 'object' || !schema.properties || typeof schema.properties !== 'object') return null;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(schema.properties).map(([name, p]) => ({
    name,
    type: typeOf(p ?? {}),
    optional: !required.has(name),
    description: p?.description ?? '',
  }));
};

/** A tool as a call signature, `name(a: string, b?: number)`, then any parameter descriptions. */
function ToolSignature({ name, parameters }: { name: string; parameters: unknown }) {
  const props = propertiesOf(parameters);
  if (!props) {
    return (
      <>
        <div className={`${styles.rsToolName} mono`}>{name}</div>
        {parameters ? <pre className={styles.rsCode}>{JSON.stringify(parameters, null, 2)}</pre> : null}
      </>
    );
  }
  const described = props.filter((p) => p.description);
  return (
    <>
      <div className={`${styles.rsToolName} mono`}>
        {name}(
        {props.map((p, i) => (
          <span key={p.name}>
            {i > 0 ? ', ' : ''}
            {p.name}
            {p.optional ? '?' : ''}: <span className={styles.rsParamType}>{p.type}</span>
          </span>
        ))}
        )
      </div>
      {described.length > 0 && (
        <ul className={styles.rsParamNotes}>
          {described.map((p) => (
            <li key={p.name}>
              <span className="mono">{p.name}</span>: {p.description}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
function typeOf(p: JsonSchemaProperty): string {
  if (Array.isArray(p.enum)) return p.enum.map((v) => JSON.stringify(v)).join(' | ');
  const t = Array.isArray(p.type) ? p.type.join(' | ') : (p.type ?? 'any');
  return t === 'array' && p.items?.type ? `${p.items.type}[]` : t;
}
