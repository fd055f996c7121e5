import type { Diagnostic } from '../../../../schema/diagnostic.ts';

/**
 * The live diagnostics, plus any problem a refused save reported that they do not already show
 * (the same message on the same line is one problem, whichever check found it).
 */
export function mergeProblems(live: Diagnostic[], fromSave: Diagnostic[]): Diagnostic[] {
  const seen = new Set(live.map((d) => `${d.line}:${d.message}`));
  return [...live, ...fromSave.filter((d) => !seen.has(`${d.line}:${d.message}`))];
}
