import { visitRegExpAST, type AST } from '@eslint-community/regexpp';
import { isDisjointWith, JS, NFA } from 'refa';
import { analyse } from 'scslre';
import { runWithinTime } from './bounded-match.ts';

// Authors write regular expressions that run on the server against model output (red flags). A
// pattern like `((.|.)*)*z` backtracks exponentially in JavaScript's engine: a few dozen characters
// stall the process for minutes. A linear-time engine (RE2) would remove the risk but not the
// lookarounds the corpus relies on (`(?=.*A-14)(?=.*deny)`, `(?<!not )...`), so patterns keep
// JavaScript semantics, are checked here when a scenario is validated, and every match is also
// bounded in time when it runs (bounded-match.ts).

/** Longest pattern accepted: analysis and matching cost grow with it. */
export const MAX_PATTERN_LENGTH = 2000;

/**
 * The analysis of one pattern may take this long; a pattern that needs more is refused. The
 * slowest shipped pattern takes about 30 ms, so a loaded machine does not refuse a good one.
 */
export const ANALYSIS_TIME_LIMIT_MS = 1000;

const verdicts = new Map<string, string | null>();

/**
 * Why the pattern can backtrack exponentially, or null when it cannot (as far as the analysis
 * sees; the run-time bound covers the rest). Three analyses: scslre's (nested or adjacent
 * quantifiers over the same characters, e.g. `(a+)+`), and two it does not make: alternatives of a
 * repeated group that can match the same text (`(.|.)*`, `(\w|\d)+`), and a repeated element one
 * iteration of which can match what two do (`(a|b|ab)*`).
 */
export function catastrophicBacktrackingIn(pattern: string, flags = 'i'): string | null {
  const key = `${flags}/${pattern}`;
  if (verdicts.has(key)) return verdicts.get(key)!;
  if ((outOfTimeUntil.get(key) ?? 0) > Date.now()) return TOO_COMPLEX;
  // The analysis builds automata whose size a hostile pattern can blow up (300 nested groups ran
  // for minutes), so it runs under a time bound too.
  const run = runWithinTime(() => analysePattern(pattern, flags), ANALYSIS_TIME_LIMIT_MS);
  if (!run.done) {
    // Remembered only for a minute: a busy moment must not make a good pattern's refusal stick.
    if (outOfTimeUntil.size > 1000) outOfTimeUntil.clear();
    outOfTimeUntil.set(key, Date.now() + 60_000);
    return TOO_COMPLEX;
  }
  if (verdicts.size > 5000) verdicts.clear();
  verdicts.set(key, run.value);
  return run.value;
}

const TOO_COMPLEX = 'the pattern is too complex to check for catastrophic backtracking in time; split or simplify it';
const outOfTimeUntil = new Map<string, number>();

function analysePattern(pattern: string, flags: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `the pattern is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are accepted`;
  }
  let parser: JS.Parser;
  try {
    parser = JS.Parser.fromLiteral({ source: pattern, flags });
  } catch {
    return null; // not a valid pattern: the schema reports that, with the engine's own message
  }
  try {
    const nested = analyse(parser.ast, { reportTypes: { Move: false }, assumeRejectingSuffix: true }).reports.find(
      (r) => r.exponential,
    );
    if (nested) {
      const part = 'quant' in nested ? nested.quant.raw : `${nested.startQuant.raw} ... ${nested.endQuant.raw}`;
      return `catastrophic backtracking: \`${part}\` can match the same text in exponentially many ways, so a short non-matching input stalls the matcher; make the repeated parts exclusive (e.g. \`[^"]*\` instead of \`.*\` inside a repetition)`;
    }
    const overlap = overlappingRepeatedAlternatives(parser);
    if (overlap) {
      return `catastrophic backtracking: the alternatives \`${overlap[0]}\` and \`${overlap[1]}\` of a repeated group can match the same text, so a short non-matching input stalls the matcher; make the alternatives exclusive`;
    }
    const splits = repetitionSplittingTwoWays(parser);
    if (splits) {
      return `catastrophic backtracking: text that \`${splits}\` repeats once can also be matched by repeating it twice, so a short non-matching input stalls the matcher; make one repetition unable to match what two do`;
    }
    return null;
  } catch {
    return 'the pattern is too complex to check for catastrophic backtracking; split or simplify it';
  }
}

/** Two alternatives of a group inside an unbounded repetition whose languages intersect. */
function overlappingRepeatedAlternatives(parser: JS.Parser): [string, string] | null {
  let found: [string, string] | null = null;
  visitRegExpAST(parser.ast.pattern, {
    onQuantifierEnter(quantifier) {
      if (found || quantifier.max !== Infinity) return;
      for (const group of groupsWithin(quantifier.element)) {
        const languages = group.alternatives.map((alternative) => {
          const { expression, maxCharacter } = parser.parseElement(alternative, {
            assertions: 'ignore',
            backreferences: 'disable',
          });
          return NFA.fromRegex(expression, { maxCharacter });
        });
        // Each alternative against the union of those before it: linear in their number, where
        // all pairs would let a long alternation make the check itself slow.
        const before = languages[0]!.copy();
        for (let j = 1; j < languages.length && !found; j++) {
          if (!isDisjointWith(before, languages[j]!)) {
            const i = languages.findIndex((l, k) => k < j && !isDisjointWith(l, languages[j]!));
            found = [group.alternatives[i]!.raw, group.alternatives[j]!.raw];
          }
          before.unionInto(languages[j]!.copy());
        }
        if (found) return;
      }
    },
  });
  return found;
}

/**
 * A repeated element E (unbounded) whose one iteration can match what two iterations match: then a
 * run of such text splits into iterations in exponentially many ways (`(a|b|ab)*`, `(\w+\s?)*`).
 */
function repetitionSplittingTwoWays(parser: JS.Parser): string | null {
  let found: string | null = null;
  visitRegExpAST(parser.ast.pattern, {
    onQuantifierEnter(quantifier) {
      if (found || quantifier.max !== Infinity) return;
      const { expression, maxCharacter } = parser.parseElement(quantifier.element, {
        assertions: 'ignore',
        backreferences: 'disable',
      });
      const once = NFA.fromRegex(expression, { maxCharacter });
      once.withoutEmptyWord();
      const twice = once.copy();
      twice.appendInto(once.copy());
      if (!isDisjointWith(once, twice)) found = quantifier.raw;
    },
  });
  return found;
}

function groupsWithin(element: AST.Node): (AST.Group | AST.CapturingGroup)[] {
  const groups: (AST.Group | AST.CapturingGroup)[] = [];
  const collect = (node: AST.Node) => {
    if (node.type === 'Group' || node.type === 'CapturingGroup') {
      if (node.alternatives.length > 1) groups.push(node);
      for (const alternative of node.alternatives) alternative.elements.forEach(collect);
    } else if (node.type === 'Quantifier') {
      collect(node.element);
    }
  };
  collect(element);
  return groups;
}
