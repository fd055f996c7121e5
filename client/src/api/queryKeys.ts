import type { ScenarioListQuery } from '../../../schema/api/scenarios.ts';
import type { CreateStudyRequest } from '../../../schema/api/studies.ts';

// Every TanStack Query key the client uses, in one place, so an invalidation names exactly what
// was cached (a prefix invalidates everything under it: `runKeys.all` every run query). Query
// functions stay in each feature's *.api.ts; every component imports its keys from here (ESLint
// refuses a key made elsewhere, and a feature module passing keys on).

/** The scenario list and documents, the taxonomy, the signed-in person, the models, the releases. */
export const queryKeys = {
  me: ['me'] as const,
  scenarioLists: ['scenarios', 'list'] as const,
  scenarioList: (filters: Omit<ScenarioListQuery, 'limit' | 'offset'>) => ['scenarios', 'list', filters] as const,
  /** The facet counts of a list (under the list's key, so a list refresh refreshes them). */
  scenarioFacets: (filters: Omit<ScenarioListQuery, 'limit' | 'offset'>) =>
    ['scenarios', 'list', filters, 'facets'] as const,
  /** One window of rows of a list (the studio fetches the list a window at a time as it scrolls). */
  scenarioListWindow: (filters: Omit<ScenarioListQuery, 'limit' | 'offset'>, window: number) =>
    ['scenarios', 'list', filters, 'window', window] as const,
  scenario: (id: string) => ['scenarios', 'document', id] as const,
  taxonomy: ['taxonomy'] as const,
  scenarioJsonSchema: ['taxonomy', 'scenario-schema'] as const,
  /** The configured models (GET /api/models): the dry-run picker and the generation page. */
  models: ['models'] as const,
  releases: ['releases'] as const,
  /** What an invite link is for (the join page; public: no one need be signed in). */
  invite: (token: string) => ['invites', token] as const,
};

/** The rater app: its home, and per study (`kind` 'rate' or 'annotate') the study and the next task. */
export const raterKeys = {
  mine: ['rate', 'mine'] as const,
  study: (kind: string, studyId: string) => [kind, studyId, 'study'] as const,
  next: (kind: string, studyId: string) => [kind, studyId, 'next'] as const,
};

export const dryRunKeys = {
  models: queryKeys.models,
  list: (scenarioId: string) => ['dryruns', 'list', scenarioId] as const,
  run: (id: string) => ['dryruns', 'run', id] as const,
  /** The cost estimate of a text on a model, for one variant (null: the first, or a scenario without variables). */
  estimate: (model: string, content: string, variant: string | null) =>
    ['dryruns', 'estimate', model, content, variant] as const,
};

/** Item filter of a run's deep dive (runs.api.ts ItemFilter), as a key part. */
interface RunItemFilterKey {
  model?: string;
  behavior?: string;
  minScore?: number;
  maxScore?: number;
  q?: string;
}

export const runKeys = {
  all: ['runs'] as const,
  list: ['runs', 'list'] as const,
  run: (id: string) => ['runs', 'run', id] as const,
  leaderboard: (id: string, judgeVersionId: string | null, dimension: string | null = null) =>
    ['runs', 'leaderboard', id, judgeVersionId, dimension] as const,
  leaderboardsOf: (id: string) => ['runs', 'leaderboard', id] as const,
  compare: (
    id: string,
    judgeVersionId: string | null,
    a: string,
    b: string,
    family: 'pair' | 'all',
    dimension: string | null = null,
  ) => ['runs', 'compare', id, judgeVersionId, a, b, family, dimension] as const,
  items: (id: string, judgeVersionId: string | null, filter: RunItemFilterKey) =>
    ['runs', 'items', id, judgeVersionId, filter] as const,
  /** The failed count is part of the key: a new failure or a retry fetches the list again. */
  errors: (id: string, failed?: number) => ['runs', 'errors', id, ...(failed === undefined ? [] : [failed])] as const,
  grid: (id: string, judgeVersionId: string | null, behavior: string | null) =>
    ['runs', 'grid', id, judgeVersionId, behavior] as const,
  quickEstimates: (id: string) => ['runs', 'quick-estimates', id] as const,
  scope: (filter: { scope: string; category?: string; behavior?: string }) => ['runs', 'scope', filter] as const,
};

export const judgeKeys = {
  all: ['judges'] as const,
  versions: ['judges', 'versions'] as const,
  models: ['judges', 'models'] as const,
  users: ['judges', 'users'] as const,
  annotationStudies: ['judges', 'annotation-studies'] as const,
  samplingPool: (filter: Record<string, string | undefined>) => ['judges', 'sampling-pool', filter] as const,
  externalScorers: ['judges', 'external-scorers'] as const,
  /** The verdicts on one transcript (the dry-run panel, the compare dialog, a run's deep dive: one cache entry). */
  judgements: (transcriptId: string) => ['judges', 'judgements', transcriptId] as const,
  /** The tool-expectation report of one transcript, scored without a judge. */
  expectations: (transcriptId: string) => ['judges', 'expectations', transcriptId] as const,
};

export const studyKeys = {
  all: ['studies'] as const,
  list: ['studies', 'list'] as const,
  results: (id: string, excludeFlagged: boolean) => ['studies', 'results', id, excludeFlagged] as const,
  resultsOf: (id: string) => ['studies', 'results', id] as const,
  selection: (filter: NonNullable<CreateStudyRequest['filter']>) => ['studies', 'selection', filter] as const,
};

export const calibrationKeys = {
  all: ['calibration'] as const,
  report: (studyId: string, judgeVersionId: string) => ['calibration', 'report', studyId, judgeVersionId] as const,
  /** The same report with its intervals, asked for when the first answer had estimates only. */
  reportWithIntervals: (studyId: string, judgeVersionId: string) =>
    ['calibration', 'report', studyId, judgeVersionId, 'intervals'] as const,
  sweep: (studyId: string, judgeVersionId: string) => ['calibration', 'sweep', studyId, judgeVersionId] as const,
  compare: (studyId: string, currentId: string, candidateId: string) =>
    ['calibration', 'compare', studyId, currentId, candidateId] as const,
  transcript: (id: string) => ['calibration', 'transcript', id] as const,
  external: (studyId: string) => ['calibration', 'external', studyId] as const,
  dimensions: (studyId: string, judgeVersionId: string) =>
    ['calibration', 'dimensions', studyId, judgeVersionId] as const,
};

export const generationKeys = {
  jobs: ['generation', 'jobs'] as const,
  queue: ['generation', 'candidates', 'review'] as const,
  candidate: (id: string) => ['generation', 'candidate', id] as const,
  agreement: (study: string) => ['generation', 'realism-agreement', study] as const,
};

export const leaderboardKeys = {
  all: ['leaderboards'] as const,
  list: ['leaderboards', 'list'] as const,
  board: (id: string) => ['leaderboards', 'board', id] as const,
};

export const analysisKeys = {
  items: (judge: string | null) => ['analysis', 'items', judge] as const,
  subset: (judge: string | null, k: number | null) => ['analysis', 'subset', judge, k] as const,
};

export const healthKeys = {
  health: (judge: string | null) => ['analysis', 'health', judge] as const,
};

/** Background jobs (re-judging a run, the calibration re-judge, generation): the jobs page's list. */
export const jobKeys = {
  list: ['jobs'] as const,
};
