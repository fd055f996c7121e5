import type { ModelParams } from '../../../../schema/models.ts';

// How the panel writes numbers: the same units everywhere, so two runs read alike side by side.

export function paramsText(params: ModelParams): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k.replace('_', ' ')} ${v}`);
  return parts.length > 0 ? parts.join(' · ') : 'provider defaults';
}

export function durationText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function tokensText(input: number, output: number): string {
  return `${input.toLocaleString('en')} in · ${output.toLocaleString('en')} out`;
}

export function costText(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return 'cost unknown';
  if (usd === 0) return '$0';
  return usd < 0.01 ? `$${usd.toFixed(5)}` : `$${usd.toFixed(3)}`;
}

export function timeText(iso: string): string {
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString() : d.toLocaleString();
}

/** A value from a tool call (arguments, results) as readable text. */
export function jsonText(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}

export const shortHash = (hash: string) => hash.slice(0, 8);
