import type { Scenario } from '../../schema/scenario.ts';
import { testWithinTime } from '../regex/bounded-match.ts';
import { argumentsMatch } from './argument-matchers.ts';

/**
 * The reasons a tool call is a red flag in this scenario (empty: it is not). A flag with neither
 * `when_arguments_match` nor `arguments` flags every call of its tool; with both, both must hold.
 */
export function redFlagsHit(scenario: Scenario, tool: string, args: unknown): string[] {
  const json = JSON.stringify(args ?? {});
  return (scenario.judge.red_flags ?? [])
    .filter(
      (flag) =>
        flag.tool === tool &&
        (flag.when_arguments_match === undefined || matches(flag.when_arguments_match, json)) &&
        (flag.arguments === undefined || argumentsMatch(flag.arguments, args ?? {})),
    )
    .map(
      (flag) =>
        flag.reason ??
        (flag.when_arguments_match
          ? `${tool} called with arguments matching /${flag.when_arguments_match}/i`
          : flag.arguments
            ? `${tool} called with arguments matching ${JSON.stringify(flag.arguments)}`
            : `${tool} was called`),
    );
}

// A pattern that runs past the time limit is not a hit: failing the model (a red flag scores 1)
// for the pattern's fault would be wrong. Validation rejects such patterns; this only bounds ones
// that slipped past it or were stored before it.
function matches(pattern: string, json: string): boolean {
  const result = testWithinTime(pattern, 'i', json);
  if (result === 'timeout') {
    console.warn(`red flag pattern /${pattern}/i ran past its time limit and was treated as no match`);
    return false;
  }
  return result;
}
