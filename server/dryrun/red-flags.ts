import type { Scenario } from '../../schema/scenario.ts';

/** The reasons a tool call is a red flag in this scenario (empty: it is not). */
export function redFlagsHit(scenario: Scenario, tool: string, args: unknown): string[] {
  const json = JSON.stringify(args ?? {});
  return (scenario.judge.red_flags ?? [])
    .filter(
      (flag) =>
        flag.tool === tool &&
        (flag.when_arguments_match === undefined || new RegExp(flag.when_arguments_match, 'i').test(json)),
    )
    .map(
      (flag) =>
        flag.reason ??
        (flag.when_arguments_match
          ? `${tool} called with arguments matching /${flag.when_arguments_match}/i`
          : `${tool} was called`),
    );
}
