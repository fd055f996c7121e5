import { generateText, NoObjectGeneratedError, Output, type ModelMessage } from 'ai';
import { stringify } from 'yaml';
import type { z } from 'zod';
import { GeneratedScenarioSchema, type GeneratedScenario } from '../../schema/generation.ts';
import type { ResolvedModel } from '../models/model.registry.ts';
import { checkScenarioText, formatPath, type ScenarioCheckContext } from '../scenarios/scenario.check.ts';
import { GENERATOR_SYSTEM, generatorPrompt, type GenerationBrief } from './generation-prompt.ts';
import { ModelUsage } from './model-usage.ts';

// One candidate from the generator: a structured-output call, and when what comes back is not a
// valid scenario (bad JSON, the wrong shape, or a scenario the format or the corpus rejects),
// exactly one repair call that carries the errors, located; then it is dropped with the reason.

const GENERATOR_TIMEOUT_MS = 180_000;

/** Where the candidate goes in the corpus and what it records of its origin. */
export interface CandidateIdentity {
  behavior: string;
  category: string;
  jobId: string;
  /** Ids already taken (the corpus and this batch): a clash gets a numeric suffix, not a repair. */
  idTaken: (id: string) => boolean;
  check: Omit<ScenarioCheckContext, 'fileId' | 'folder'>;
}

export type Proposal =
  | { ok: true; id: string; yaml: string; repaired: boolean; usage: ModelUsage }
  | { ok: false; reason: string; usage: ModelUsage };

export async function proposeScenario(
  model: ResolvedModel,
  brief: GenerationBrief,
  identity: CandidateIdentity,
  signal: AbortSignal,
): Promise<Proposal> {
  const usage = new ModelUsage();
  const messages: ModelMessage[] = [{ role: 'user', content: generatorPrompt(brief) }];
  const first = await ask(model, messages, signal, usage);
  let outcome = first.ok ? toScenarioYaml(first.value, identity, model.id) : first;
  if (outcome.ok) return { ...outcome, repaired: false, usage };

  messages.push({ role: 'assistant', content: first.text || '(no answer)' });
  messages.push({ role: 'user', content: repairRequest(outcome.errors) });
  const second = await ask(model, messages, signal, usage);
  outcome = second.ok ? toScenarioYaml(second.value, identity, model.id) : second;
  if (outcome.ok) return { ...outcome, repaired: true, usage };
  return { ok: false, reason: `invalid after one repair: ${outcome.errors.slice(0, 5).join('; ')}`, usage };
}

type Asked = { ok: true; value: GeneratedScenario; text: string } | { ok: false; errors: string[]; text: string };

async function ask(
  model: ResolvedModel,
  messages: ModelMessage[],
  signal: AbortSignal,
  usage: ModelUsage,
): Promise<Asked> {
  try {
    const result = await generateText({
      model: model.model,
      abortSignal: signal,
      timeout: { totalMs: model.config.timeout_ms ?? GENERATOR_TIMEOUT_MS },
      maxRetries: model.config.max_retries ?? 2,
      ...samplingOf(model),
      system: GENERATOR_SYSTEM,
      messages,
      output: Output.object({ schema: GeneratedScenarioSchema, name: 'scenario' }),
    });
    usage.add(model, result.usage.inputTokens, result.usage.outputTokens);
    return { ok: true, value: result.output, text: result.text };
  } catch (e) {
    if (!NoObjectGeneratedError.isInstance(e)) throw e;
    usage.add(model, e.usage?.inputTokens, e.usage?.outputTokens);
    return { ok: false, errors: shapeErrors(e.text ?? ''), text: e.text ?? '' };
  }
}

function samplingOf(model: ResolvedModel) {
  const p = model.config.params ?? {};
  return { temperature: p.temperature, topP: p.top_p, seed: p.seed, maxOutputTokens: p.max_tokens };
}

/** Why the answer is not a proposal: JSON that does not parse (with its position), or each field the schema rejects. */
export function shapeErrors(text: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch (e) {
    return [`the answer is not valid JSON: ${(e as Error).message}`];
  }
  const parsed = GeneratedScenarioSchema.safeParse(value);
  if (parsed.success) return ['the answer could not be read as a scenario'];
  return parsed.error.issues.map(issueText);
}

function issueText(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path.filter((p): p is string | number => typeof p !== 'symbol'));
  const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
  return `${path || '(top level)'}: ${issue.message}${keys}`;
}

function repairRequest(errors: string[]): string {
  return (
    'That scenario is not valid. Fix exactly these problems and answer with the whole corrected scenario as one JSON object:\n' +
    errors.map((e) => `- ${e}`).join('\n')
  );
}

type Converted = { ok: true; id: string; yaml: string } | { ok: false; errors: string[] };

/** The proposal as a scenario file (draft, with provenance), checked as the corpus would check the file. */
function toScenarioYaml(proposal: GeneratedScenario, identity: CandidateIdentity, modelId: string): Converted {
  const base = `${identity.behavior}-${proposal.slug}`.slice(0, 110).replace(/-+$/, '');
  let id = base;
  for (let n = 2; identity.idTaken(id); n++) id = `${base}-${n}`;
  const { slug: _slug, ...rest } = proposal;
  const scenario = {
    id,
    title: rest.title,
    category: identity.category,
    behavior: identity.behavior,
    difficulty: rest.difficulty,
    status: 'draft',
    summary: rest.summary,
    ...(rest.tags ? { tags: rest.tags } : {}),
    source: { kind: 'generated', job: identity.jobId, model: modelId },
    target: rest.target,
    ...(rest.tools ? { tools: rest.tools } : {}),
    turns: rest.turns,
    judge: rest.judge,
  };
  const yaml = stringify(scenario, { lineWidth: 0 });
  const errors = locatedErrors(yaml, id, identity);
  return errors.length === 0 ? { ok: true, id, yaml } : { ok: false, errors };
}

/** The located errors of a scenario file (line:column in the YAML), or none. */
export function locatedErrors(yaml: string, id: string, identity: CandidateIdentity): string[] {
  const { diagnostics } = checkScenarioText(yaml, { ...identity.check, fileId: id, folder: identity.category });
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.line}:${d.column} ${formatPath(d.path) || '(top level)'}: ${d.message}`);
}
