import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import type { ModelConfig, ModelInfo, ModelRoles, ProviderConfig } from '../../schema/models.ts';
import type { ModelsConfig } from './models.config.ts';
import { makeRedactor, noRedaction, type Redactor } from './redact.ts';
import { redactingModel } from './redacting-model.ts';

/** A model ready to call, with what transcripts record about it. */
export interface ResolvedModel {
  id: string;
  config: ModelConfig;
  provider: ProviderConfig;
  model: LanguageModel;
}

export type Resolution = { ok: true; model: ResolvedModel } | { ok: false; message: string };

/** How a model's provider client sends its requests: `fetch` replaces the global one (see lean-fetch.ts). */
export interface ModelTransport {
  fetch?: typeof fetch;
}

/**
 * The configured models. Keys are read here and handed only to the provider clients, and every
 * model handed out blanks the key values out of what it returns (see redacting-model.ts).
 */
export class ModelRegistry {
  /** Blanks every configured key value out of a text: the hook for any other text from outside. */
  readonly redact: Redactor;

  /**
   * Models made already, per transport and model id, with the key they were made with: a run
   * resolves its target and judge for every item, and building a provider client each time (and
   * compiling its code afresh in a new process) was a share of a small run's CPU (issue 20).
   * The key is looked up on every resolve, so a key that changes makes a new client.
   */
  private readonly made = new Map<
    ModelTransport['fetch'],
    Map<string, { apiKey: string | undefined; model: ResolvedModel }>
  >();

  constructor(private readonly config: ModelsConfig) {
    this.redact = makeRedactor(config.secretValues());
  }

  get configPath(): string | null {
    return this.config.path;
  }

  list(): ModelInfo[] {
    return this.config.file.models.map((m) => {
      const provider = this.provider(m.provider)!;
      const problem = this.problemOf(provider);
      return {
        id: m.id,
        provider: provider.id,
        kind: provider.kind,
        model: m.model,
        params: m.params ?? {},
        family: m.family ?? null,
        version: m.version ?? null,
        released: m.released ?? null,
        ready: problem === null,
        problem,
      };
    });
  }

  roles(): ModelRoles {
    return this.config.file.roles;
  }

  /** The model configured for a role, if any and if callable. */
  forRole(role: keyof ModelRoles, transport: ModelTransport = {}): ResolvedModel | null {
    const id = this.config.file.roles[role];
    if (!id) return null;
    const r = this.resolve(id, transport);
    return r.ok ? r.model : null;
  }

  resolve(id: string, transport: ModelTransport = {}): Resolution {
    const config = this.config.file.models.find((m) => m.id === id);
    if (!config) return { ok: false, message: `no model "${id}" is configured` };
    const provider = this.provider(config.provider)!;
    const problem = this.problemOf(provider);
    if (problem) return { ok: false, message: problem };
    const apiKey = provider.api_key_env ? this.config.secret(provider.api_key_env) : undefined;
    let made = this.made.get(transport.fetch);
    if (!made) this.made.set(transport.fetch, (made = new Map()));
    const known = made.get(id);
    if (known && known.apiKey === apiKey) return { ok: true, model: known.model };
    const model = languageModelOf(provider, config.model, apiKey, transport);
    const resolved = {
      id,
      config,
      provider,
      model: this.redact === noRedaction ? model : redactingModel(model, this.redact),
    };
    made.set(id, { apiKey, model: resolved });
    return { ok: true, model: resolved };
  }

  private provider(id: string): ProviderConfig | undefined {
    return this.config.file.providers.find((p) => p.id === id);
  }

  private problemOf(provider: ProviderConfig): string | null {
    if (provider.api_key_env && !this.config.secret(provider.api_key_env)) {
      return `the key variable ${provider.api_key_env} (provider "${provider.id}") is not set in the environment or the secrets file`;
    }
    if (!provider.api_key_env && provider.kind !== 'openai-compatible') {
      return `provider "${provider.id}" needs api_key_env`;
    }
    return null;
  }
}

// OpenAI through Chat Completions (`.chat`), the protocol every compatible server also speaks;
// the SDK's default for OpenAI is the Responses API.
function languageModelOf(
  provider: ProviderConfig,
  model: string,
  apiKey: string | undefined,
  transport: ModelTransport,
) {
  const common = { baseURL: provider.base_url, apiKey, headers: provider.headers, fetch: transport.fetch };
  switch (provider.kind) {
    case 'openai':
      return createOpenAI(common).chat(model);
    case 'anthropic':
      return createAnthropic(common)(model);
    case 'openai-compatible':
      return createOpenAICompatible({
        name: provider.id,
        baseURL: provider.base_url!,
        apiKey,
        headers: provider.headers,
        includeUsage: true,
        supportsStructuredOutputs: true,
        fetch: transport.fetch,
      }).chatModel(model);
  }
}
