import { z } from 'zod';

// Contracts of the benchmark analysis endpoints (item analysis of the corpus).

// GET /api/analysis/items?judge=
export const ItemAnalysisQuerySchema = z.object({
  /** The judge version whose verdicts are analysed (default: the default judge). */
  judge: z.string().uuid('not a judge version id').optional(),
});

export type ItemFlag = 'ceiling' | 'floor' | 'no-separation' | 'noisy';

/** One scenario's figures over every run judged by the judge version. */
export interface ItemAnalysisRow {
  scenarioId: string;
  /** Null when the scenario is no longer in the corpus. */
  title: string | null;
  category: string;
  behavior: string;
  models: number;
  /** Judged transcripts (repeats over models and runs). */
  transcripts: number;
  mean: number;
  passRate: number;
  modelsPassing: number;
  itemRest: number | null;
  repeatSd: number | null;
  reliability: number | null;
  /** 2PL parameters on pass/fail; null when no model was fitted. `bounded`: the estimate sits on a bound (perfect pattern). */
  irt: { discrimination: number; difficulty: number; bounded: boolean } | null;
  /** Mean realism rating of the current version over every study, with the number of ratings. */
  realism: { mean: number; ratings: number } | null;
  /** Human verdicts on this judge's transcripts of the scenario: mean absolute error and pass/fail agreement. */
  agreement: { transcripts: number; mae: number; passAgreement: number } | null;
  flags: ItemFlag[];
}

export interface ItemAnalysis {
  judge: { id: string; name: string; version: number } | null;
  models: string[];
  runs: number;
  /** Judged transcripts analysed, and those left out because they were made on an older version of their scenario. */
  transcripts: number;
  staleTranscripts: number;
  rules: { passScore: number; minItemRest: number; minModels: number; maxRepeatSd: number };
  irt: {
    model: '2PL pass/fail, joint maximum likelihood';
    fitted: boolean;
    /** Why no model was fitted (too few models or items). */
    reason: string | null;
    converged: boolean;
    iterations: number;
    abilities: { model: string; theta: number }[];
  };
  items: ItemAnalysisRow[];
}

// GET /api/analysis/health?judge=
/** One behaviour's coverage and item figures, and why to write for it next (null: nothing urgent). */
export interface BehaviourHealth {
  behavior: string;
  name: string;
  category: string;
  /** Scenarios in the corpus (not retired), and those meeting a realism study's rule. */
  scenarios: number;
  validated: number;
  /** Scenarios with judged transcripts, at ceiling, at floor, and separating models (not flagged "does not separate models"). */
  analysed: number;
  ceiling: number;
  floor: number;
  separating: number;
  meanScore: number | null;
  meanItemRest: number | null;
  writeNext: { priority: number; reason: string } | null;
}

export interface BenchmarkHealth {
  judge: ItemAnalysis['judge'];
  minScenariosPerBehaviour: number;
  behaviours: BehaviourHealth[];
}

// GET /api/analysis/subset?judge=&k=
export const AnchorSubsetQuerySchema = ItemAnalysisQuerySchema.extend({
  /** Scenarios to choose (about: at least one per category). */
  k: z.coerce.number().int().min(1).max(10_000),
});

/** A scenario subset that estimates each model's full mean, and how well it does on held-out models. */
export interface AnchorSubsetReport {
  judgeVersionId: string;
  scenarios: number;
  k: number;
  /** Models that ran every scenario (the only ones a subset can be fitted and checked on), and those left out. */
  models: string[];
  leftOutModels: string[];
  reason: string | null;
  subset: {
    anchors: { scenarioId: string; title: string | null; category: string; weight: number }[];
    /** Half-width of the 95% interval of an estimated mean. */
    halfWidth: number;
    /** The same for each category's estimated mean. */
    categoryHalfWidths: Record<string, number>;
    estimates: { model: string; full: number; estimate: number }[];
  } | null;
  /** Leave-one-model-out: anchors chosen without the model, its estimate against its full mean. */
  validation: {
    meanAbsoluteError: number;
    coverage: number;
    /** Per category: the error and coverage of the held-out models' category means. */
    categories: Record<string, { meanAbsoluteError: number; coverage: number }>;
    models: { model: string; full: number; estimate: number; low: number; high: number }[];
  } | null;
}
