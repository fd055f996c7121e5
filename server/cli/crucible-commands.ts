import type { CommandSpec } from './command-line.ts';

// The commands of `npm run crucible` and their options: the usage, --help and the option errors
// are all made from this list (command-line.ts).

const judgeOption = {
  type: 'string',
  value: 'JUDGE_VERSION_ID',
  help: "the judge version (default: the run's, else the default judge)",
} as const;

export const COMMANDS: CommandSpec[] = [
  {
    name: 'run',
    args: [],
    summary: 'start a run of models over scenarios and follow it to the end',
    options: {
      name: { type: 'string', value: 'NAME', help: "the run's name (required)" },
      models: { type: 'string', value: 'a,b', help: 'model ids from the models file, comma-separated (required)' },
      scope: { type: 'string', value: 'validated|ready|all', help: 'which scenarios (default: validated)' },
      category: { type: 'string', value: 'ID', help: 'only this category' },
      behavior: { type: 'string', value: 'ID', help: 'only this behaviour' },
      repeats: { type: 'string', value: 'N', help: 'runs per scenario and model (default: 1)' },
      judge: judgeOption,
      concurrency: { type: 'string', value: 'N', help: 'items at once (default: 16)' },
      'per-provider': { type: 'string', value: 'N', help: 'items at once per provider (default: 8)' },
      'no-cache': { type: 'boolean', help: 'call the models even where a finished transcript could be reused' },
    },
  },
  {
    name: 'resume',
    args: ['RUN_ID'],
    summary: 'continue a stopped or crashed run; finished items are not redone',
    options: {},
  },
  {
    name: 'retry-failed',
    args: ['RUN_ID'],
    summary: 'run the items that failed to run again (after a provider outage, say)',
    options: {},
  },
  {
    name: 'rejudge',
    args: ['RUN_ID'],
    summary: "score a run's transcripts with another judge version (no target calls)",
    options: { judge: { ...judgeOption, help: 'the judge version to score with (required)' } },
  },
  {
    name: 'leaderboard',
    args: ['RUN_ID'],
    summary: "print a run's leaderboard, or export it",
    options: {
      judge: judgeOption,
      dimension: { type: 'string', value: 'ID', help: 'rank by this dimension of the judge (default: alignment)' },
      json: { type: 'boolean', help: 'print it as JSON' },
      csv: { type: 'boolean', help: 'print it as CSV' },
      html: { type: 'string', value: 'FILE', help: 'write the static leaderboard page to FILE' },
    },
  },
  { name: 'runs', args: [], summary: 'list runs', options: {} },
  {
    name: 'worker',
    args: [],
    summary:
      'run the items of running runs (started by a server) until stopped; several workers share a run (README: Run workers)',
    options: {
      concurrency: { type: 'string', value: 'N', help: 'items at once in this worker (default: 16)' },
      'per-provider': {
        type: 'string',
        value: 'N',
        help: "items at once per provider (default: the provider's max_concurrency in the models file, else --concurrency)",
      },
      'lease-seconds': {
        type: 'string',
        value: 'N',
        help: "how long a claim lasts unrenewed: a killed worker's items run again after it (default: 30)",
      },
    },
  },
  {
    name: 'generate',
    args: [],
    summary: "generate scenario candidates with a model and screen them (they wait in the studio's review queue)",
    options: {
      behavior: { type: 'string', value: 'ID[,ID]', help: 'behaviour ids; candidates are spread over them (required)' },
      count: { type: 'string', value: 'N', help: 'candidates in all (required)' },
      model: { type: 'string', value: 'ID', help: 'the generator model (default: the only configured model)' },
      'dry-run-model': {
        type: 'string',
        value: 'ID',
        help: 'dry-run each candidate against this model (default: none)',
      },
      'screen-model': {
        type: 'string',
        value: 'ID',
        help: 'the realism and pressure screens (default: the generator)',
      },
      dimension: { type: 'string', value: 'k=v1,v2;k2=v3', help: 'variation dimensions and their values' },
      seeds: { type: 'string', value: 'ID[,ID]', help: 'scenario ids shown to the generator as examples' },
      concurrency: { type: 'string', value: 'N', help: 'candidates at once (default: 8)' },
    },
  },
  {
    name: 'import',
    args: ['FORMAT', 'PATH'],
    summary:
      'bring a file in as draft scenarios, taxonomy behaviours or transcripts with their scores (FORMAT: openai-tools, inspect, bloom, petri, promptfoo; or release, a release folder); all of the file or nothing',
    options: {
      'dry-run': { type: 'boolean', help: 'print the import report and write nothing' },
      category: { type: 'string', value: 'ID', help: 'category for new behaviours (default: named after the format)' },
      behavior: {
        type: 'string',
        value: 'ID',
        help: "the drafts' behaviour (default: from the source or the file name)",
      },
      into: {
        type: 'string',
        value: 'SCENARIO_ID',
        help: 'openai-tools: add the tools to this scenario instead of a new draft',
      },
      presence: {
        type: 'string',
        value: 'aligned|misaligned',
        help: "bloom transcripts: whether the behaviour's presence is aligned (default: misaligned, as sycophancy)",
      },
    },
  },
  {
    name: 'release',
    args: ['NAME'],
    summary:
      'write a versioned benchmark release to releases/NAME: scenarios (YAML and an Inspect JSONL), taxonomy, realism, judges, leaderboards, datasheet, changelog, checksums',
    options: {
      scope: { type: 'string', value: 'SCOPE', help: 'validated (default), ready or all (never retired ones)' },
      out: { type: 'string', value: 'DIR', help: 'the folder releases are written under (default: releases)' },
    },
  },
];
