import { MAX_ESCALATION_TURNS, type Tool, type Turn } from '../../schema/scenario.ts';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import { categoryFor, placeDrafts } from './import.behaviour.ts';
import { draftScenario } from './import.draft.ts';
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
import { isRecord } from './openai-tools.import.ts';

// Bloom (safety-research/bloom) files, told apart by their content:
// - behaviors.json, `{behavior_name: description}`: behaviours added to the taxonomy under the
//   chosen category (default "bloom"); names already in the taxonomy are left as they are.
// - ideation.json, `{behavior_name, variations: [{description, tools: [xml]}]}`: each variation a
//   draft. The description is Bloom's markdown prose: **Context:**, **Evaluation Rollout:** (a turn
//   plan), **Success Criteria:**, **Why it pertains to behavior:**, **System Prompt:**; perturbed
//   variations start with `<dimension>name</dimension>`. Tools are XML strings.
// judgment.json and transcripts are read by bloom-transcript.import.ts.

export function importBloom(text: string, file: string, taxonomy: Taxonomy, options: ImportOptions): ImportPlan {
  const doc = readDocument(text, file);
  const value = doc.value;
  if (isRecord(value) && Array.isArray(value.variations)) return importIdeation(doc, file, taxonomy, options);
  if (isRecord(value) && Object.keys(value).length > 0) return importBehaviours(doc, file, taxonomy, options);
  throw new ImportError(
    doc.at([]),
    'document',
    '',
    'is neither a Bloom behaviors.json (an object of name: description) nor an ideation.json (with variations)',
  );
}

function importBehaviours(doc: ReadDocument, file: string, taxonomy: Taxonomy, options: ImportOptions): ImportPlan {
  const category = categoryFor(taxonomy, 'bloom', options);
  const behaviours = Object.entries(doc.value as Record<string, unknown>).map(([name, description]) => {
    if (typeof description !== 'string' || description.trim() === '') {
      throw new ImportError(doc.at([name]), `behaviour "${name}"`, 'description', 'must be a non-empty string');
    }
    return { item: `${file}#${name}`, category, behaviour: { id: kebab(name), name, description } };
  });
  return { format: 'bloom', file, behaviours, scenarios: [], skipped: [] };
}

const SECTION = /\*\*(Context|Evaluation Rollout|Success Criteria|Why it pertains to behavior|System Prompt):\*\*/g;

function importIdeation(doc: ReadDocument, file: string, taxonomy: Taxonomy, options: ImportOptions): ImportPlan {
  const ideation = doc.value as Record<string, unknown>;
  const behaviourName = ideation.behavior_name;
  if (typeof behaviourName !== 'string' || behaviourName.trim() === '') {
    throw new ImportError(doc.at(['behavior_name']), 'document', 'behavior_name', 'missing or not a string');
  }
  const place = placeDrafts(taxonomy, 'bloom', options, {
    id: behaviourName,
    name: behaviourName,
    description: `Imported from Bloom's ideation for "${behaviourName}"; replace with the behaviour's definition (Bloom's behaviors.json has it).`,
    item: `${file}#behavior_name`,
  });
  const scenarios = (ideation.variations as unknown[]).map((v, i) =>
    variationDraft(doc, file, behaviourName, i, v, place),
  );
  return { format: 'bloom', file, behaviours: place.added, scenarios, skipped: [] };
}

function variationDraft(
  doc: ReadDocument,
  file: string,
  behaviour: string,
  index: number,
  variation: unknown,
  place: { category: string; behavior: string },
): PlannedScenario {
  const number = index + 1; // Bloom numbers variations from 1
  const item = `variation ${number}`;
  if (!isRecord(variation) || typeof variation.description !== 'string' || variation.description.trim() === '') {
    throw new ImportError(
      doc.at(['variations', index, 'description']),
      item,
      `variations[${index}].description`,
      'missing or not a string',
    );
  }
  const dimension = /^\s*<dimension>([^<]+)<\/dimension>/.exec(variation.description)?.[1]?.trim();
  const text = variation.description.replace(/^\s*<dimension>[^<]*<\/dimension>\s*/, '');
  const title = /^\s*\*\*(Scenario \d+:[^*]+)\*\*/.exec(text)?.[1]?.trim();
  const sections = sectionsOf(text);
  const rawTools = Array.isArray(variation.tools) ? variation.tools : [];
  const tools = rawTools.map((xml, ti) => {
    if (typeof xml !== 'string') {
      throw new ImportError(
        doc.at(['variations', index, 'tools', ti]),
        item,
        `tools[${ti}]`,
        'a Bloom tool is an XML string',
      );
    }
    return toolFromXml(xml, () => doc.at(['variations', index, 'tools', ti]), item, ti);
  });
  const dropped: string[] = [];
  const placeholders: string[] = [];
  const plan = sections['Evaluation Rollout'];
  const turns = plan ? turnsFromPlan(plan, dropped, placeholders) : [];
  if (sections['Why it pertains to behavior'] === undefined && dimension) {
    dropped.push(
      `a perturbed variation (${dimension}): Bloom states why it pertains to the behaviour in the base variation only`,
    );
  }
  return draftScenario({
    item: `${file}#${number}`,
    id: `bloom-${kebab(behaviour, 50)}-v${number}`,
    format: 'bloom',
    hash: itemHash(variation),
    title: `${title ?? `${behaviour} variation ${number}`}${dimension ? ` (${dimension})` : ''}`,
    summary: [sections.Context, sections['Why it pertains to behavior']].filter(Boolean).join('\n\n') || undefined,
    category: place.category,
    behavior: place.behavior,
    system: sections['System Prompt'],
    tools,
    turns,
    escalation: plan
      ? {
          plan: `Follow Bloom's rollout plan for this scenario:\n${plan}`,
          max_turns: Math.min(MAX_ESCALATION_TURNS, Math.max(1, turns.length + 2)),
        }
      : undefined,
    aligned: sections['Success Criteria'],
    passCriteria: sections['Success Criteria'] ? [sections['Success Criteria']] : undefined,
    tags: ['imported', 'bloom', ...(dimension ? [`bloom-dimension-${kebab(dimension)}`] : [])],
    notes: `Imported from Bloom ideation ${file}, variation ${number}. Bloom's full description:\n\n${variation.description}`,
    dropped,
    placeholders,
  });
}

export function sectionsOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const marks = [...text.matchAll(SECTION)];
  marks.forEach((m, i) => {
    const end = i + 1 < marks.length ? marks[i + 1]!.index : text.length;
    out[m[1]!] = text
      .slice(m.index + m[0].length, end)
      .trim()
      .replace(/\s*\*$/, '') // a bullet star left before the next heading
      .trim();
  });
  return out;
}

/**
 * Bloom's rollout plan, `* **Turn N (label):** text`, as scripted turns: a turn that quotes what
 * the evaluator says is sent as quoted, with its "If ..." condition for a referee; a turn that
 * only describes the user's move keeps the description as a marked placeholder; a turn that
 * describes what the model does is left to the escalation plan.
 */
function turnsFromPlan(plan: string, dropped: string[], placeholders: string[]): Turn[] {
  const turns: Turn[] = [];
  const marks = [...plan.matchAll(/\*\s*\*\*Turn (\d+)(?:\s*\(([^)]*)\))?:\*\*/g)];
  marks.forEach((m, i) => {
    const end = i + 1 < marks.length ? marks[i + 1]!.index : plan.length;
    const body = plan
      .slice(m.index + m[0].length, end)
      .replace(/\s*\*\s*$/, '')
      .trim();
    const tactic = m[2]?.trim() || undefined;
    const quoted = /^(?:If (.+?), )?the evaluator (?:responds|says|asks|replies|writes)[^"]*:\s*"([\s\S]+)"\s*$/i.exec(
      body,
    );
    if (quoted) {
      const condition = quoted[1]?.trim();
      turns.push({
        content: quoted[2]!.trim(),
        ...(tactic ? { tactic } : {}),
        ...(condition ? { when: { condition } } : {}),
      });
    } else if (/^the target( model)?\b/i.test(body)) {
      dropped.push(
        `Turn ${m[1]}: describes what the model does ("${body.slice(0, 80)}…"); kept in the escalation plan, not a user turn`,
      );
    } else {
      placeholders.push(`turns (Turn ${m[1]})`);
      turns.push({ content: placeholder(`write the user's message for: ${body}`), ...(tactic ? { tactic } : {}) });
    }
  });
  return turns;
}

const BLOOM_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'array', 'object']);

/** A Bloom tool, `<name/><description/><parameters><parameter><name/><type/><description/></parameter>…`, as a scenario tool. */
function toolFromXml(xml: string, at: () => string, item: string, index: number): Tool {
  const tag = (text: string, name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text)?.[1]?.trim();
  const withoutParams = xml.replace(/<parameters>[\s\S]*<\/parameters>/, '');
  const name = tag(withoutParams, 'name');
  if (!name || !/^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/.test(name)) {
    throw new ImportError(
      at(),
      item,
      `tools[${index}].name`,
      name ? `"${name}" is not a valid tool name` : 'the tool XML has no <name>',
    );
  }
  const description = tag(withoutParams, 'description');
  const properties: Record<string, unknown> = {};
  for (const p of xml.match(/<parameter>[\s\S]*?<\/parameter>/g) ?? []) {
    const pname = tag(p, 'name');
    if (!pname) throw new ImportError(at(), item, `tools[${index}] (${name}) parameter`, 'a <parameter> has no <name>');
    const type = tag(p, 'type')?.toLowerCase() ?? 'string';
    properties[pname] = {
      type: BLOOM_TYPES.has(type) ? type : 'string',
      ...(tag(p, 'description') ? { description: tag(p, 'description') } : {}),
    };
  }
  return {
    name,
    description: description || name,
    parameters: { type: 'object', properties, required: Object.keys(properties) },
    simulation: {
      simulator: `Bloom simulated this tool in its rollout: invent a realistic result of ${name} for the arguments, consistent with the scenario and the conversation so far.`,
    },
  };
}
