import type { RunProgress, TokenUsage } from '../../schema/api/runs.ts';

/** What a run's model calls took, targets and judge side by side, for exports. */
export interface RunUsage {
  targets: Record<string, TokenUsage>;
  judge: Record<string, TokenUsage>;
  total: TokenUsage;
}

export function runUsageOf(progress: RunProgress): RunUsage {
  return { targets: progress.tokens, judge: progress.judgeTokens, total: progress.totalTokens };
}

function rows(usage: RunUsage): { role: string; model: string; t: TokenUsage }[] {
  const byName = (a: [string, TokenUsage], b: [string, TokenUsage]) => a[0].localeCompare(b[0]);
  return [
    ...Object.entries(usage.targets)
      .sort(byName)
      .map(([model, t]) => ({ role: 'target', model, t })),
    ...Object.entries(usage.judge)
      .sort(byName)
      .map(([model, t]) => ({ role: 'judge', model, t })),
    { role: 'total', model: '(all)', t: usage.total },
  ];
}

const csvCell = (s: string) => {
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** One row per target model, per judge model, then the total; cost empty when unknown (no prices). */
export function runUsageCsv(usage: RunUsage): string {
  const lines = ['role,model,input_tokens,output_tokens,cost_usd'];
  for (const r of rows(usage))
    lines.push([r.role, csvCell(r.model), r.t.input, r.t.output, r.t.costUsd ?? ''].join(','));
  return lines.join('\r\n') + '\r\n';
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The usage table of the static leaderboard page. */
export function runUsageHtml(usage: RunUsage): string {
  const cost = (c: number | null) => (c === null ? 'unknown' : `$${c.toFixed(c < 1 ? 4 : 2)}`);
  return `<h2>Tokens and cost</h2>
<p class="note">Every model call of the run: the targets' conversations and the judge's verdicts (retries included). Cost is unknown for models without prices in the models file.</p>
<div class="scroll"><table><thead><tr><th>Role</th><th>Model</th><th>Input tokens</th><th>Output tokens</th><th>Cost</th></tr></thead><tbody>
${rows(usage)
  .map(
    (r) =>
      `<tr><td>${r.role}</td><td>${esc(r.model)}</td><td class="num">${r.t.input.toLocaleString('en')}</td><td class="num">${r.t.output.toLocaleString('en')}</td><td class="num">${cost(r.t.costUsd)}</td></tr>`,
  )
  .join('\n')}
</tbody></table></div>`;
}
