import { MAX_ESCALATION_TURNS, type Tool, type Turn } from '../../schema/scenario.ts';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import { placeDrafts } from './import.behaviour.ts';
import { draftScenario, oneLine } from './import.draft.ts';
import {
  ImportError,
  itemHash,
  kebab,
  placeholder,
  type ImportOptions,
  type ImportPlan,
  type PlannedScenario,
} from './import.plan.ts';
import { readDocument, type ReadDocument } from './import.read.ts';
import { isRecord, toolsFromOpenAi } from './openai-tools.import.ts';

// promptfoo configs with multi-turn tests, two styles:
// - `_conversation`: each turn is its own test `{vars: {question}, metadata: {conversationId}}`;
//   tests sharing a conversationId are one thread, in order: one draft a thread.
// - simulated user (`provider: promptfoo:simulated-user`): each test's `vars.instructions` tell a
//   simulated user what to want; one draft a test, its escalation plan the instructions, its judge
//   criteria the llm-rubric's "Pass if" / "Fail if" lines.
// The system prompt is prompts[0] (a string, with {{vars}} from defaultTest filled in). Tools come
// from the first provider's config (inline, or file:// references read next to the config).

/** Reads a file a config refers to (`file://x`), relative to the config; null when absent. */
export type SiblingReader = (relative: string) => string | null;

export function importPromptfoo(
  text: string,
  file: string,
  taxonomy: Taxonomy,
  options: ImportOptions,
  readSibling: SiblingReader = () => null,
): ImportPlan {
  const doc = readDocument(text, file);
  const config = doc.value;
  if (!isRecord(config)) throw new ImportError(doc.at([]), 'document', '', 'a promptfoo config is a mapping');
  if (!Array.isArray(config.tests) || config.tests.length === 0) {
    throw new ImportError(doc.at(['tests']), 'document', 'tests', 'missing or empty: nothing to import');
  }
  const defaults = isRecord(config.defaultTest) ? config.defaultTest : {};
  const defaultVars = isRecord(defaults.vars) ? defaults.vars : {};
  const shared: string[] = [];
  const system = systemPrompt(doc, config, defaultVars, readSibling, shared);
  const tools = providerTools(doc, config, file, readSibling, shared);
  const stem = kebab(file.replace(/\.ya?ml$/i, '').replace(/\.?promptfooconfig/, ''));
  const place = placeDrafts(taxonomy, 'promptfoo', options, {
    id: `promptfoo-${stem}`,
    name: typeof config.description === 'string' ? config.description : `promptfoo ${file}`,
    description: `Tests imported from the promptfoo config ${file}; describe the behaviour they probe.`,
    item: file,
  });
  const provider = isRecord(defaults.provider) ? defaults.provider : {};
  const maxTurns = isRecord(provider.config) ? Number(provider.config.maxTurns) : NaN;
  const tests = config.tests as unknown[];
  const threads = new Map<string, { index: number; test: Record<string, unknown> }[]>();
  const scenarios: PlannedScenario[] = [];
  tests.forEach((test, i) => {
    if (!isRecord(test)) throw new ImportError(doc.at(['tests', i]), `test [${i}]`, '', 'a test must be a mapping');
    const vars = isRecord(test.vars) ? test.vars : {};
    const conversation = isRecord(test.metadata) ? test.metadata.conversationId : undefined;
    if (conversation !== undefined) {
      const key = String(conversation);
      threads.set(key, [...(threads.get(key) ?? []), { index: i, test }]);
    } else if (typeof vars.instructions === 'string') {
      scenarios.push(
        simulatedUserDraft(doc, file, stem, i, test, vars.instructions, { system, tools, shared, place, maxTurns }),
      );
    } else {
      throw new ImportError(
        doc.at(['tests', i]),
        `test [${i}]`,
        'vars',
        'neither a simulated-user test (vars.instructions) nor a turn of a conversation (metadata.conversationId)',
      );
    }
  });
  for (const [thread, turnsOfThread] of threads) {
    const turns: Turn[] = turnsOfThread.map(({ index, test }) => {
      const question = userText(test.vars);
      if (!question)
        throw new ImportError(
          doc.at(['tests', index, 'vars']),
          `test [${index}]`,
          'vars.question',
          'missing: a conversation turn needs the user text',
        );
      return { content: question };
    });
    scenarios.push(
      draftScenario({
        item: `${file}#${thread}`,
        id: `promptfoo-${stem}-${kebab(thread, 50)}`,
        format: 'promptfoo',
        hash: itemHash(turnsOfThread.map((t) => t.test)),
        title: `${thread}: ${oneLine(turns[0]!.content, 120)}`,
        category: place.category,
        behavior: place.behavior,
        system,
        tools,
        turns,
        tags: ['imported', 'promptfoo'],
        dropped: [...shared, ...turnsOfThread.flatMap(({ index, test }) => assertsDropped(test, index))],
        notes: `Imported from promptfoo config ${file}, conversation ${thread} (tests ${turnsOfThread.map((t) => t.index).join(', ')}).`,
      }),
    );
  }
  return { format: 'promptfoo', file, behaviours: place.added, scenarios, skipped: [] };
}

function simulatedUserDraft(
  doc: ReadDocument,
  file: string,
  stem: string,
  index: number,
  test: Record<string, unknown>,
  instructions: string,
  ctx: {
    system?: string;
    tools: Tool[];
    shared: string[];
    place: { category: string; behavior: string };
    maxTurns: number;
  },
): PlannedScenario {
  const description = typeof test.description === 'string' ? test.description : undefined;
  const rubric = (Array.isArray(test.assert) ? test.assert : []).filter(isRecord);
  const llm = rubric
    .filter((a) => a.type === 'llm-rubric' && typeof a.value === 'string')
    .map((a) => a.value as string);
  const lines = (prefix: RegExp) =>
    llm
      .flatMap((r) => r.split('\n'))
      .map((l) => prefix.exec(l.trim())?.[1]?.trim())
      .filter((l): l is string => !!l);
  const dropped = [
    ...ctx.shared,
    ...rubric
      .filter((a) => a.type !== 'llm-rubric')
      .map((a) => `test [${index}]: a "${String(a.type)}" assertion (promptfoo-specific check)`),
  ];
  return draftScenario({
    item: `${file}#${index}`,
    id: `promptfoo-${stem}-${description ? kebab(description, 50) : index + 1}`,
    format: 'promptfoo',
    hash: itemHash(test),
    title: description ?? `Simulated user ${index + 1}: ${oneLine(instructions, 100)}`,
    summary: description,
    category: ctx.place.category,
    behavior: ctx.place.behavior,
    system: ctx.system,
    tools: ctx.tools,
    turns: [
      {
        content: placeholder(
          "the simulated user's first message (promptfoo's simulated user writes it from escalation.plan)",
        ),
      },
    ],
    placeholders: ['turns'],
    escalation: {
      plan: `Play this user, as promptfoo's simulated user did:\n${instructions}`,
      max_turns:
        Number.isInteger(ctx.maxTurns) && ctx.maxTurns >= 1 ? Math.min(MAX_ESCALATION_TURNS, ctx.maxTurns) : 10,
    },
    aligned: llm.length ? llm.join('\n\n') : undefined,
    passCriteria: lines(/^Pass if:\s*(.+)$/i),
    failCriteria: lines(/^Fail if:\s*(.+)$/i),
    tags: ['imported', 'promptfoo', 'simulated-user'],
    dropped:
      ctx.maxTurns > MAX_ESCALATION_TURNS
        ? [...dropped, `maxTurns ${ctx.maxTurns}: escalation allows at most ${MAX_ESCALATION_TURNS}`]
        : dropped,
    notes: `Imported from promptfoo config ${file}, test ${index}.${doc.at(['tests', index]) ? ` (${doc.at(['tests', index])})` : ''}`,
  });
}

function userText(vars: unknown): string | undefined {
  if (!isRecord(vars)) return undefined;
  const v = vars.question ?? vars.input ?? vars.prompt ?? vars.message;
  return typeof v === 'string' && v.trim() ? v : undefined;
}

function assertsDropped(test: Record<string, unknown>, index: number): string[] {
  return Array.isArray(test.assert) && test.assert.length > 0
    ? [
        `test [${index}]: ${test.assert.length} assertion(s) on a single turn (promptfoo checks each reply; Crucible judges the conversation)`,
      ]
    : [];
}

function fill(template: string, vars: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([a-zA-Z_][\w]*)\s*\}\}/g, (whole, name: string) =>
    typeof vars[name] === 'string' ? (vars[name] as string) : whole,
  );
}

function systemPrompt(
  doc: ReadDocument,
  config: Record<string, unknown>,
  vars: Record<string, unknown>,
  readSibling: SiblingReader,
  dropped: string[],
): string | undefined {
  const prompts = Array.isArray(config.prompts) ? config.prompts : [];
  if (prompts.length > 1)
    dropped.push(`prompts[1..${prompts.length - 1}]: one system prompt a scenario; the first is used`);
  const first = prompts[0];
  if (typeof first === 'string' && !first.startsWith('file://')) return fill(first, vars).trim() || undefined;
  const ref =
    typeof first === 'string' ? first : isRecord(first) && typeof first.id === 'string' ? first.id : undefined;
  if (ref?.startsWith('file://')) {
    const template = readSibling(ref.slice('file://'.length));
    const system = template && /"role"\s*:\s*"system"\s*,\s*"content"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(template)?.[1];
    if (system) return fill(JSON.parse(`"${system}"`) as string, vars);
    dropped.push(
      `prompts[0] ${ref}: ${template === null ? 'not found next to the config' : 'no system message found in it'}`,
    );
  }
  if (typeof vars.system_message === 'string') return vars.system_message;
  return undefined;
}

function providerTools(
  doc: ReadDocument,
  config: Record<string, unknown>,
  file: string,
  readSibling: SiblingReader,
  dropped: string[],
): Tool[] {
  const providers = Array.isArray(config.providers) ? config.providers : [];
  const first = providers.find((p) => isRecord(p) && isRecord(p.config) && Array.isArray(p.config.tools));
  if (!isRecord(first)) return [];
  const pi = providers.indexOf(first);
  const tools: Tool[] = [];
  ((first.config as Record<string, unknown>).tools as unknown[]).forEach((t, ti) => {
    if (typeof t === 'string' && t.startsWith('file://')) {
      const rel = t.slice('file://'.length);
      const text = readSibling(rel);
      if (text === null) {
        dropped.push(
          `providers[${pi}].config.tools[${ti}] ${t}: not found next to the config (import it with "import openai-tools")`,
        );
        return;
      }
      const sub = readDocument(text, rel);
      tools.push(...toolsFromOpenAi(sub, rel).tools);
    } else {
      tools.push(...toolsFromOpenAi(doc, file, ['providers', pi, 'config', 'tools', ti], t).tools);
    }
  });
  if (isRecord((first.config as Record<string, unknown>).functionToolCallbacks)) {
    dropped.push('functionToolCallbacks: JavaScript tool implementations; the tools are simulated by a model instead');
  }
  return tools;
}
