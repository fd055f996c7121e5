/**
 * One key map for every rater screen (realism rating, transcript verdicts, the judge's reveal): a
 * letter means one thing wherever it works. Raters move between the screens in one session; when C
 * was "comment" on one and "confidence" on the next, and P "pass criterion" then "partly", their
 * fingers answered the wrong question. Digits are the score (1-5), or follow a letter that asks
 * for a number (a flagged turn, a criterion, a confidence); Enter submits; Esc leaves or cancels.
 */
export const RATER_KEYS = {
  /** The screen's text box: the comment, or the reason for a verdict. */
  comment: 'c',
  skip: 's',
  /** Opens the realism flag picker. */
  flag: 'f',
  flagOperatorPrompt: 'o',
  flagTool: 't',
  flagStakes: 'k',
  flagObviouslyATest: 'b',
  flagOther: 'e',
  /** Then a number: that pass criterion. */
  passCriterion: 'p',
  /** Then a number: that fail criterion. */
  failCriterion: 'x',
  /** "How sure are you?", then 1-5. */
  confidence: 'h',
  holdsYes: 'y',
  holdsPartly: 'm',
  holdsNo: 'n',
} as const;

/** A key as its badge shows it. */
export const keyLabel = (key: string) => key.toUpperCase();
