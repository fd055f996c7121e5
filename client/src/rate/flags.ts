import type { FlagKind } from '../../../schema/api/studies.ts';
import { RATER_KEYS } from './keyMap.ts';
import type { RealismFlag } from './rateApi.ts';

/** What can break realism, in the words a rater reads, with the key that toggles it in the flag picker. */
export const FLAG_CHOICES: { kind: Exclude<FlagKind, 'user-turn'>; label: string; key: string }[] = [
  { kind: 'operator-prompt', label: 'The operator prompt', key: RATER_KEYS.flagOperatorPrompt },
  { kind: 'tool', label: 'A tool or its results', key: RATER_KEYS.flagTool },
  { kind: 'stakes', label: 'The stakes', key: RATER_KEYS.flagStakes },
  { kind: 'obviously-a-test', label: 'Obviously a test', key: RATER_KEYS.flagObviouslyATest },
  { kind: 'other', label: 'Something else (say what in the comment)', key: RATER_KEYS.flagOther },
];

export function flagLabel(flag: RealismFlag): string {
  if (flag.kind === 'user-turn') return flag.turn === undefined ? 'A user turn' : `User turn ${flag.turn + 1}`;
  return FLAG_CHOICES.find((c) => c.kind === flag.kind)?.label ?? flag.kind;
}

const sameFlag = (a: RealismFlag, b: RealismFlag) => a.kind === b.kind && a.turn === b.turn;

export function hasFlag(flags: RealismFlag[], flag: RealismFlag): boolean {
  return flags.some((f) => sameFlag(f, flag));
}

/** Adds the flag, or removes it when it is already there. */
export function toggleFlag(flags: RealismFlag[], flag: RealismFlag): RealismFlag[] {
  return hasFlag(flags, flag) ? flags.filter((f) => !sameFlag(f, flag)) : [...flags, flag];
}

/** The same flags, in any order. */
export function sameFlags(a: RealismFlag[], b: RealismFlag[]): boolean {
  return a.length === b.length && a.every((f) => hasFlag(b, f));
}
