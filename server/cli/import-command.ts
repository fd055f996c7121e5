import { ImportError, IMPORT_FORMATS, type ImportOptions } from '../import/import.plan.ts';
import { isImportFormat, planImport, readImportSource } from '../import/import.run.ts';
import { importPlan, redactPlan, type ImportReport } from '../import/import.writer.ts';
import type { Services } from '../services.ts';

/**
 * `import <format> <path> [--dry-run] [--category C] [--behavior B] [--into SCENARIO_ID]`: plans the whole file, checks
 * every draft, then writes all of it or nothing. Returns the exit code: 0 done, 1 a located error.
 */
export async function importCommand(
  services: Pick<Services, 'corpus' | 'redact' | 'db'>,
  format: string | undefined,
  path: string | undefined,
  options: ImportOptions & { dryRun: boolean },
): Promise<number> {
  if (!format || !isImportFormat(format) || !path) {
    console.error(`crucible: import needs a format (${IMPORT_FORMATS.join(', ')}) and a path`);
    return 2;
  }
  try {
    const plan = redactPlan(
      planImport(format, readImportSource(path), services.corpus.taxonomy, options),
      services.redact,
    );
    const report = await importPlan(services.corpus, plan, options.dryRun, services.db);
    process.stdout.write(importReportText(report));
    return 0;
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    console.error(`crucible: ${e.message}\nnothing was imported`);
    return 1;
  }
}

/** The import report as the terminal shows it: one line an item, then what was dropped or left to write. */
export function importReportText(report: ImportReport): string {
  const lines = [`${report.format} ${report.file}${report.dryRun ? ' (dry run: nothing written)' : ''}`];
  const verb = (action: string) =>
    report.dryRun && action !== 'unchanged' && action !== 'kept' ? `would ${action}` : action;
  for (const b of report.behaviours) lines.push(`  ${verb(b.action)} behaviour ${b.category}/${b.id}  (${b.item})`);
  for (const s of report.scenarios) {
    lines.push(`  ${verb(s.action)} scenario ${s.id}  (${s.item})`);
    if (s.reason) lines.push(`      ${s.reason}`);
    for (const d of s.dropped) lines.push(`      dropped: ${d}`);
    if (s.placeholders.length) lines.push(`      to write (TODO placeholders): ${s.placeholders.join(', ')}`);
  }
  for (const t of report.transcripts) {
    lines.push(`  ${verb(t.action)} transcript ${t.id}  (${t.item}, ${t.model}, ${t.events} events)`);
    if (t.reason) lines.push(`      ${t.reason}`);
    for (const s of t.scores)
      lines.push(
        `      ${verb(s.action)} score ${s.scorer} = ${s.raw}${s.alignment === null ? '' : ` (alignment ${s.alignment})`}`,
      );
    for (const d of t.dropped) lines.push(`      dropped: ${d}`);
  }
  for (const s of report.skipped) lines.push(`  skipped ${s.item}: ${s.reason}`);
  const count = (action: string) => report.scenarios.filter((s) => s.action === action).length;
  lines.push(
    `${count('create')} scenario(s) ${report.dryRun ? 'to create' : 'created'}, ${count('unchanged')} unchanged, ${count('kept')} kept as they were, ${count('update')} updated; ` +
      `${report.behaviours.filter((b) => b.action === 'add').length} behaviour(s) ${report.dryRun ? 'to add' : 'added'}`,
  );
  if (report.transcripts.length > 0) {
    const t = (action: string) => report.transcripts.filter((x) => x.action === action).length;
    lines.push(
      `${t('create')} transcript(s) ${report.dryRun ? 'to import' : 'imported'}, ${t('unchanged')} unchanged, ${t('duplicate')} duplicate(s); ` +
        `${report.transcripts.flatMap((x) => x.scores).filter((s) => s.action === 'add').length} external score(s) ${report.dryRun ? 'to add' : 'added'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
