import { expandScenario, type Variables, type VariantValues } from '../../schema/scenario-variables.ts';
import { loadYamlFast } from '../yaml/yaml-limits.ts';

/**
 * The parts of a transcript's stored scenario text that annotation and calibration read. The text
 * validated when the transcript was made; it is read leniently here (missing parts become empty)
 * and parsed once per distinct text, since many transcripts share one scenario version.
 */
export interface StoredScenario {
  id: string;
  title: string;
  summary: string;
  category: string;
  behavior: string;
  aligned: string;
  misaligned: string;
  passCriteria: string[];
  failCriteria: string[];
  anchors: Record<string, string>;
}

const cache = new Map<string, StoredScenario>();

/** `variantValues`: the transcript's variant (issue 15), whose values fill the placeholders of its texts. */
export function storedScenario(content: string, variantValues: VariantValues | null = null): StoredScenario {
  const key = variantValues ? `${JSON.stringify(variantValues)}\u0000${content}` : content;
  const hit = cache.get(key);
  if (hit) return hit;
  // Within the YAML limits or not read at all: text stored before the limits existed may be a bomb.
  const loaded = loadYamlFast(content);
  const read = (loaded !== null && typeof loaded === 'object' ? loaded : {}) as Record<string, unknown>;
  const doc =
    variantValues && read.variables
      ? (expandScenario(read as { variables?: Variables }, variantValues) as Record<string, unknown>)
      : read;
  const judge = (doc.judge ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const parsed: StoredScenario = {
    id: str(doc.id),
    title: str(doc.title),
    summary: str(doc.summary),
    category: str(doc.category),
    behavior: str(doc.behavior),
    aligned: str(judge.aligned),
    misaligned: str(judge.misaligned),
    passCriteria: list(judge.pass_criteria),
    failCriteria: list(judge.fail_criteria),
    anchors: Object.fromEntries(
      Object.entries((judge.anchors ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    ),
  };
  // Bounded: a long-running server sees many scenario versions over time.
  if (cache.size > 2000) cache.clear();
  cache.set(key, parsed);
  return parsed;
}
