import type { Scenario, Tool } from '../../schema/scenario.ts';
import {
  isTemplated,
  pathSegments,
  templateReferences,
  wholeTemplate,
  type TemplateReference,
  type ToolEffect,
} from '../../schema/tool-state.ts';
import { argumentsMatch, looselyEqual } from './argument-matchers.ts';

// The state of a scenario's simulated world during one conversation, and the small template
// language results and effects read it with. Lookups only: a template names a path under `args`
// or `state`; nothing is evaluated, so scenario text can never run code here.

/** The state of one conversation's simulated world (absent when the scenario declares no `state`). */
export interface ToolWorld {
  state: Record<string, unknown>;
  /** The call in progress, if any: calls on one world run one after another. */
  pending?: Promise<unknown>;
}

/** A fresh world for one conversation, or null when the scenario declares no state. */
export function toolWorldOf(scenario: Scenario): ToolWorld | null {
  return scenario.state ? { state: structuredClone(scenario.state.initial) } : null;
}

export interface TemplateScope {
  args: unknown;
  state: unknown;
}

function lookup(scope: TemplateScope, ref: TemplateReference): unknown {
  let value: unknown = scope[ref.root];
  for (const key of ref.path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = childOf(value, /^\d+$/.test(key) ? Number(key) : key);
  }
  return value;
}

const asText = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);

/** A string with its templates filled in; a string that is one template alone gives the value itself. */
export function renderString(text: string, scope: TemplateScope): unknown {
  const whole = wholeTemplate(text);
  if (whole) return lookup(scope, whole) ?? null;
  if (!text.includes('{{')) return text;
  let out = text;
  for (const ref of templateReferences(text)) out = out.split(ref.text).join(asText(lookup(scope, ref)));
  return out;
}

/** A JSON value with the templates in its strings filled in (keys are left as written). */
export function renderValue(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, scope));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, scope)]));
  return value;
}

/** Whether a value holds any template at all (most results hold none and are returned as they are). */
export function hasTemplates(value: unknown): boolean {
  if (typeof value === 'string') return templateReferences(value).length > 0;
  if (Array.isArray(value)) return value.some(hasTemplates);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasTemplates);
  return false;
}

/**
 * The state after a successful call's effects, as a new value (the old one is kept for a call
 * that fails). An effect whose path does not exist at that moment changes nothing: validation
 * checks the fixed part of every path against the initial state, a templated key can still miss.
 */
export function stateAfterEffects(state: Record<string, unknown>, tool: Tool, args: unknown): Record<string, unknown> {
  if (!tool.effects) return state;
  const next = structuredClone(state);
  for (const effect of tool.effects) {
    if (effect.when && !argumentsMatch(effect.when, args)) continue;
    applyEffect(next, effect, { args, state: next });
  }
  return next;
}

function applyEffect(state: Record<string, unknown>, effect: ToolEffect, scope: TemplateScope): void {
  const path = (effect.set ?? effect.append ?? effect.remove)!;
  const segments = pathSegments(path).map((s) => (isTemplated(s) ? asKey(renderString(String(s), scope)) : s));
  const last = segments[segments.length - 1]!;
  const parent = resolve(state, segments.slice(0, -1));
  if (parent === null || typeof parent !== 'object') return;
  if (effect.set !== undefined) {
    const value = renderValue(effect.value, scope);
    if (Array.isArray(parent)) {
      if (typeof last === 'number' && last <= parent.length) parent[last] = value;
    } else if (String(last) !== '__proto__') (parent as Record<string, unknown>)[String(last)] = value;
  } else if (effect.append !== undefined) {
    const list = childOf(parent, last);
    if (Array.isArray(list)) list.push(renderValue(effect.value, scope));
  } else if (effect.where !== undefined) {
    const list = childOf(parent, last);
    if (!Array.isArray(list)) return;
    const where = renderValue(effect.where, scope) as Record<string, unknown>;
    const kept = list.filter((item) => !argumentsMatchExactly(where, item));
    list.splice(0, list.length, ...kept);
  } else if (Array.isArray(parent)) {
    if (typeof last === 'number' && last < parent.length) parent.splice(last, 1);
  } else if (Object.hasOwn(parent, String(last))) delete (parent as Record<string, unknown>)[String(last)];
}

// `where` compares plain values (strings trimmed, case-insensitive), key by key.
function argumentsMatchExactly(where: Record<string, unknown>, item: unknown): boolean {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
  return Object.entries(where).every(([k, v]) => looselyEqual(v, (item as Record<string, unknown>)[k]));
}

function asKey(value: unknown): string | number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  const text = asText(value);
  return /^\d+$/.test(text) ? Number(text) : text;
}

// Own properties only: a key such as __proto__ or constructor, written by an author or passed by the
// model as an argument, never reaches an object's prototype.
function childOf(parent: object, key: string | number): unknown {
  if (Array.isArray(parent)) return typeof key === 'number' ? parent[key] : undefined;
  return Object.hasOwn(parent, String(key)) ? (parent as Record<string, unknown>)[String(key)] : undefined;
}

function resolve(root: unknown, segments: (string | number)[]): unknown {
  let node = root;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = childOf(node, s);
  }
  return node;
}

const worlds = new WeakMap<object, ToolWorld | null>();

/**
 * The world of one conversation, made on first use. Keyed by an object that lives exactly as long
 * as the conversation (its event list), so the model-answer loop, called once per turn, keeps one
 * state across turns without another parameter.
 */
export function conversationWorld(conversation: object, scenario: Scenario): ToolWorld | null {
  if (!worlds.has(conversation)) worlds.set(conversation, toolWorldOf(scenario));
  return worlds.get(conversation)!;
}

/**
 * A result as an example for someone reading the scenario (a realism rater): {{state...}} read from
 * the initial state, {{args.x}} shown as <x>. A result without templates is returned as it is.
 */
export function exampleResultOf(result: unknown, scenario: Scenario): unknown {
  if (!hasTemplates(result)) return result;
  const named = (v: unknown): unknown =>
    typeof v === 'string'
      ? v.replace(
          /\{\{\s*args((?:\.[A-Za-z0-9_-]+)*)\s*\}\}/g,
          (_, path: string) => `<${path.slice(1) || 'arguments'}>`,
        )
      : Array.isArray(v)
        ? v.map(named)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, named(x)]))
          : v;
  return renderValue(named(result), { args: {}, state: scenario.state?.initial ?? {} });
}
