import jsYaml from 'js-yaml';
import {
  isAlias,
  isCollection,
  isPair,
  isScalar,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';

// Every YAML text Crucible reads (scenario files, drafts sent to the API, the taxonomy, the models
// file, scenario text stored with transcripts) is parsed here, so one set of limits applies to all
// of them. YAML aliases make a few kilobytes expand to billions of values ("billion laughs"); the
// limits are checked on the syntax tree, following aliases, before anything is expanded.

/** What a YAML document may contain; past these it is refused with a located error. */
export const YAML_LIMITS = {
  /** Alias nodes (`*name`) in one document. Scenarios rarely need any. */
  maxAliases: 100,
  /** Nesting of mappings and sequences, aliases followed. */
  maxDepth: 64,
  /** Values (scalars, mappings, sequences, keys) once every alias is expanded. */
  maxExpandedNodes: 100_000,
  /** Characters of scalar text once every alias is expanded. */
  maxExpandedChars: 2_000_000,
  /** Characters of the text itself. */
  maxTextChars: 2_000_000,
} as const;

// Brackets or indentation this deep cannot be a scenario; the parsers need seconds (and their
// stack) to find that out, so a linear scan refuses such text first. The bound is far above
// maxDepth so that brackets inside strings never trip it.
const IMPLAUSIBLE_NESTING = 1000;

/** A YAML problem with its place in the text (0-based offsets). */
export interface YamlProblem {
  message: string;
  range: [number, number];
}

export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
  /** Syntax errors, then a broken limit (at most one): when not empty, do not convert the document. */
  problems: YamlProblem[];
}

/** Parses without expanding anything, and checks the limits. Never throws on any input. */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const refused = textProblemOf(text);
  if (refused) {
    lineCounter.addNewLine(0); // as the parser does at the start of the text
    for (let i = text.indexOf('\n'); i !== -1 && i < refused.range[0]; i = text.indexOf('\n', i + 1)) {
      lineCounter.addNewLine(i + 1);
    }
    return { doc: parseDocument('', { lineCounter: new LineCounter() }), lineCounter, problems: [refused] };
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: YamlProblem[] = doc.errors.map((e) => ({
    message: `YAML: ${e.message.split('\n')[0]}`,
    range: [e.pos[0], e.pos[1]],
  }));
  if (problems.length === 0) {
    const broken = limitProblemOf(doc);
    if (broken) problems.push(broken);
  }
  return { doc, lineCounter, problems };
}

/** The plain value of a document that `parseYaml` found no problem in (aliases expanded, within the limits). */
export function yamlValue(parsed: ParsedYaml): unknown {
  if (parsed.problems.length > 0) throw new Error('yamlValue: the document has problems; report them instead');
  // The limits above already bound the expansion; yaml's own alias heuristic would throw on legitimate reuse.
  return parsed.doc.toJS({ maxAliasCount: -1 });
}

/** 1-based line and column of an offset. */
export function positionOf(parsed: ParsedYaml, offset: number): { line: number; column: number } {
  const { line, col } = parsed.lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * Parses a whole file and returns its value, or throws one error `file:line:column: message`:
 * for configuration files (taxonomy, models) that are read whole and are either right or not.
 */
export function loadYamlFile(text: string, file: string): unknown {
  const parsed = parseYaml(text);
  const problem = parsed.problems[0];
  if (problem) {
    const { line, column } = positionOf(parsed, problem.range[0]);
    throw new Error(`${file}:${line}:${column}: ${problem.message}`);
  }
  return yamlValue(parsed);
}

/**
 * The fast path for text that is almost always clean: js-yaml (core schema, as `yaml` uses) parses
 * several times faster and keeps an alias as a shared reference, so loading itself is linear; the
 * value is then measured as if every alias were expanded. Undefined when the text does not load or
 * breaks a limit: the caller then uses `parseYaml` to place the problem.
 */
export function loadYamlFast(text: string): unknown {
  // Only the length here: js-yaml gives up on implausible nesting quickly by itself (the nesting
  // scan protects the other parser, and costs a fifth of this whole function).
  if (text.length > YAML_LIMITS.maxTextChars) return undefined;
  let value: unknown;
  try {
    value = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, json: false });
  } catch {
    return undefined;
  }
  if (text.includes('*') && countAliases(text) > YAML_LIMITS.maxAliases) return undefined;
  return valueWithinLimits(value) ? value : undefined;
}

// Text too long, or nested implausibly deep (flow brackets counted naively, quotes ignored; or
// indentation), found in one pass without parsing.
function textProblemOf(text: string): YamlProblem | null {
  if (text.length > YAML_LIMITS.maxTextChars) {
    return {
      message: `YAML: the text is ${text.length.toLocaleString('en')} characters long; at most ${YAML_LIMITS.maxTextChars.toLocaleString('en')}`,
      range: [0, 1],
    };
  }
  let depth = 0;
  let lineStart = 0;
  let inIndent = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = i + 1;
      inIndent = true;
      continue;
    }
    if (c === 32 && inIndent) {
      if (i - lineStart >= IMPLAUSIBLE_NESTING) return tooDeep(i);
      continue;
    }
    inIndent = false;
    // Flow collections open with [ or { and close with ] or }.
    if (c === 91 || c === 123) depth++;
    else if ((c === 93 || c === 125) && depth > 0) depth--;
    if (depth > IMPLAUSIBLE_NESTING) return tooDeep(i);
  }
  return null;
}

function tooDeep(offset: number): YamlProblem {
  return { message: `YAML: nested more than ${YAML_LIMITS.maxDepth} levels deep`, range: [offset, offset + 1] };
}

// A cheap upper bound of the aliases in the text (a `*name` outside quotes may be plain text, which
// only sends the text to the exact check).
function countAliases(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(/(?:^|[\s[{,])\*[^\s,[\]{}]/g)) n++;
  return n;
}

/** Whether a plain value, shared references counted at every place they appear, is within the limits. */
export function valueWithinLimits(value: unknown): boolean {
  let nodes = 0;
  let chars = 0;
  const walk = (v: unknown, depth: number): boolean => {
    if (++nodes > YAML_LIMITS.maxExpandedNodes) return false;
    if (v === null || typeof v !== 'object') {
      chars += typeof v === 'string' ? v.length : 0;
      return chars <= YAML_LIMITS.maxExpandedChars;
    }
    if (depth >= YAML_LIMITS.maxDepth) return false;
    if (Array.isArray(v)) return v.every((item) => walk(item, depth + 1));
    for (const [k, item] of Object.entries(v)) {
      chars += k.length;
      if (!walk(item, depth + 1)) return false;
    }
    return true;
  };
  return walk(value, 0);
}

// Walks the syntax tree as toJS would expand it, within a budget, and names the first limit broken:
// at the outermost alias being expanded when the budget ran out (that is the line to fix).
function limitProblemOf(doc: Document): YamlProblem | null {
  const targets = new Map<Node, Node | undefined>();
  const anchors = new Map<string, Node>();
  let aliases = 0;
  let tooMany: YamlProblem | null = null;
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      if (++aliases > YAML_LIMITS.maxAliases && !tooMany) {
        tooMany = problemAt(
          node,
          `YAML: more than ${YAML_LIMITS.maxAliases} aliases (*${node.source}); a file may reuse anchors at most ${YAML_LIMITS.maxAliases} times`,
        );
      }
    } else if ((isScalar(node) || isCollection(node)) && node.anchor) {
      anchors.set(node.anchor, node);
    }
  });
  if (tooMany) return tooMany;

  let nodes = 0;
  let chars = 0;
  const walk = (node: unknown, depth: number, via: Node | null): YamlProblem | null => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = targets.get(node);
      return target ? walk(target, depth, via ?? node) : null;
    }
    if (++nodes > YAML_LIMITS.maxExpandedNodes) {
      return problemAt(
        via ?? (node as Node),
        `YAML: expands to more than ${YAML_LIMITS.maxExpandedNodes.toLocaleString('en')} values once aliases are resolved${via ? ' (an alias bomb?)' : ''}`,
      );
    }
    if (isScalar(node)) {
      chars += node.value === null || node.value === undefined ? 0 : String(node.value).length;
      return chars > YAML_LIMITS.maxExpandedChars
        ? problemAt(
            via ?? node,
            `YAML: expands to more than ${YAML_LIMITS.maxExpandedChars.toLocaleString('en')} characters of text${via ? ' once aliases are resolved (an alias bomb?)' : ''}`,
          )
        : null;
    }
    if (isPair(node)) return walk(node.key, depth, via) ?? walk(node.value, depth, via);
    if (isCollection(node)) {
      if (depth >= YAML_LIMITS.maxDepth) {
        return problemAt(via ?? node, `YAML: nested more than ${YAML_LIMITS.maxDepth} levels deep`);
      }
      for (const item of node.items) {
        const problem = walk(item, depth + 1, via);
        if (problem) return problem;
      }
    }
    return null;
  };
  return walk(doc.contents, 0, null);
}

function problemAt(node: Node, message: string): YamlProblem {
  const range = node.range ?? [0, 0, 0];
  return { message, range: [range[0], range[1]] };
}
