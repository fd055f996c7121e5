import type { ModelsResponse } from '../../../../schema/api/dryruns.ts';
import styles from './dryrun.module.css';

const EXAMPLE = `providers:
  - id: openai
    kind: openai                # openai | anthropic | openai-compatible
    api_key_env: OPENAI_API_KEY # the variable's NAME, never the key
  - id: local
    kind: openai-compatible     # vLLM, Ollama, llama.cpp, LM Studio, OpenRouter
    base_url: http://localhost:11434/v1
models:
  - id: gpt-4.1-mini
    provider: openai
    model: gpt-4.1-mini
    params: {temperature: 0.7, max_tokens: 1024}
  - id: llama-local
    provider: local
    model: llama3.1:8b
roles:                          # optional helpers
  referee: gpt-4.1-mini         # decides conditional turns
  escalation_drafter: gpt-4.1-mini
`;

/** Shown when no model is configured: exactly how to add one, and the way to run without. */
export function NoModelsHelp({
  info,
  onPlay,
}: {
  info: Pick<ModelsResponse, 'configPath' | 'configFound'>;
  onPlay(): void;
}) {
  return (
    <div className={styles.dryrunHelp} data-testid="dryrun-no-models">
      <h3>No model is configured</h3>
      <p>
        {info.configFound ? 'The models file ' : 'Crucible reads models from '}
        <code data-testid="dryrun-config-path">{info.configPath}</code>
        {info.configFound ? ' lists no models.' : ', which does not exist yet.'} Write it like this, then restart the
        server:
      </p>
      <pre className={styles.dryrunExample} data-testid="dryrun-config-example">
        {EXAMPLE}
      </pre>
      <p>
        Keys never go in this file. Set each <code>api_key_env</code> variable in the server&rsquo;s environment, or as
        a <code>NAME=value</code> line in <code>data/secrets.env</code> (the <code>CRUCIBLE_SECRETS</code> path), which
        is never committed and never sent to a browser.
      </p>
      <p className={styles.dryrunHelpPlay}>
        <button type="button" className="btn btn-sm" data-testid="dryrun-play-model" onClick={onPlay}>
          Play the model
        </button>{' '}
        <span className="muted">
          Run the scenario now and type the model&rsquo;s replies yourself (useful for example transcripts).
        </span>
      </p>
    </div>
  );
}
