import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  DryRunListQuerySchema,
  EscalateRequestSchema,
  HUMAN_MODEL,
  HumanReplyRequestSchema,
  StartDryRunRequestSchema,
  type EscalateResponse,
  type ModelsResponse,
} from '../../schema/api/dryruns.ts';
import { CostEstimateRequestSchema } from '../../schema/api/cost-estimate.ts';
import type { Db } from '../db/database.ts';
import { apiError, validationHook } from '../http/errors.ts';
import { leanFetch } from '../models/lean-fetch.ts';
import type { ModelRegistry } from '../models/model.registry.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { checkScenarioText } from '../scenarios/scenario.check.ts';
import { contentHash } from '../scenarios/scenario.row.ts';
import {
  firstVariantOf,
  resolveVariant,
  runVariantOf,
  storedVariantScenario,
  variantColumns,
} from '../variants/scenario-variant.ts';
import { scoreToolExpectations } from '../judge/tool-expectations.ts';
import { runConversation, type TargetResponder } from './conversation.ts';
import { deleteDryRun, findDryRunById, listDryRunsByScenario } from './dryrun.repository.ts';
import { DryRunGroupCommit } from './dryrun.group-commit.ts';
import { streamDryRun } from './dryrun.stream.ts';
import { SSE_HEADERS } from '../http/sse-body.ts';
import type { DryRunSessions } from './dryrun.sessions.ts';
import { draftEscalationTurn } from './escalate.ts';
import { classifyProviderError } from './provider-errors.ts';
import { estimateDryRunCost } from './cost-estimate.ts';
import { prefillProblem } from './scripted-turns.ts';

export interface DryRunDeps {
  db: Db;
  corpus: ScenarioCorpus;
  models: ModelRegistry;
  sessions: DryRunSessions;
  /** Removes every configured secret value from text bound for a client or the database. */
  redact: (text: string) => string;
  /** Where a new models file would go, for the "how to add a model" help. */
  modelsPath: string;
}

/** Dry-run model calls go over node:http (lean-fetch.ts): undici's fetch cost about 0.4 ms of CPU more a call. */
const DRYRUN_TRANSPORT = { fetch: leanFetch };

const IdParam = z.object({ id: z.string().uuid('not a dry-run id') });

export function modelsRoutes(deps: DryRunDeps) {
  // GET /api/models: configured models (never keys), and whether each can be called
  return new Hono().get('/', (c) => {
    const body: ModelsResponse = {
      models: deps.models.list(),
      roles: deps.models.roles(),
      configPath: deps.models.configPath ?? deps.modelsPath,
      configFound: deps.models.configPath !== null,
    };
    return c.json(body, 200);
  });
}

export function dryRunRoutes(deps: DryRunDeps) {
  const commits = new DryRunGroupCommit(deps.db);
  const parseScenario = (content: string) => {
    const { scenario, diagnostics } = checkScenarioText(content, { taxonomy: deps.corpus.taxonomy });
    const errors = diagnostics.filter((d) => d.severity === 'error');
    return { scenario: errors.length === 0 ? scenario : null, errors };
  };

  return (
    new Hono()
      // GET /api/dryruns?scenarioId=
      .get('/', zValidator('query', DryRunListQuerySchema, validationHook('query')), async (c) => {
        return c.json({ dryRuns: await listDryRunsByScenario(deps.db, c.req.valid('query').scenarioId) }, 200);
      })
      // POST /api/dryruns: runs a scenario (saved or draft) and streams its transcript events (SSE)
      .post('/', zValidator('json', StartDryRunRequestSchema, validationHook('json')), async (c) => {
        const req = c.req.valid('json');
        const { scenario: written, errors } = parseScenario(req.content);
        if (!written) {
          return apiError(
            c,
            422,
            'validation_failed',
            `the scenario has ${errors.length} problem(s); fix them before running`,
            errors.map((d) => ({ message: d.message, line: d.line, column: d.column, path: d.path })),
          );
        }
        // A scenario with variables runs one variant, expanded: the one asked for, or the first.
        const chosen = resolveVariant(written, { id: req.variant });
        if (!chosen.ok) return apiError(c, 422, 'validation_failed', chosen.message);
        const { scenario } = chosen;
        const variant = variantColumns(written.id, chosen.variant);
        const id = randomUUID();
        const controller = new AbortController();
        let target: TargetResponder;
        if (req.model === HUMAN_MODEL) {
          target = { kind: 'human', waitForReply: (turn, signal) => deps.sessions.waitForReply(id, turn, signal) };
        } else {
          const resolved = deps.models.resolve(req.model, DRYRUN_TRANSPORT);
          if (!resolved.ok) return apiError(c, 400, 'bad_request', `${resolved.message}. ${howToAddModel(deps)}`);
          target = { kind: 'model', model: resolved.model, params: req.params ?? {} };
        }
        const hash = contentHash(req.content);
        deps.sessions.open(id, controller);
        const body = streamDryRun({
          id,
          row: {
            id,
            scenarioId: variant.scenario_id,
            variantOf: variant.variant_of,
            variantValues: variant.variant_values,
            contentHash: hash,
            scenarioContent: req.content,
            model: req.model,
            params: target.kind === 'model' ? { ...target.model.config.params, ...target.params } : {},
          },
          events: runConversation({
            dryRunId: id,
            scenario,
            variant: runVariantOf(written.id, chosen.variant),
            contentHash: hash,
            target,
            helpers: {
              referee: deps.models.forRole('referee', DRYRUN_TRANSPORT),
              simulator: deps.models.forRole('simulator', DRYRUN_TRANSPORT),
              simulatedUser: deps.models.forRole('simulated_user', DRYRUN_TRANSPORT),
            },
            signal: controller.signal,
          }),
          commits,
          redact: deps.redact,
          controller,
          onClosed: () => deps.sessions.close(id),
        });
        return c.body(body, 200, SSE_HEADERS);
      })
      // POST /api/dryruns/estimate: what a dry-run of this text may cost on a model, before it runs
      .post('/estimate', zValidator('json', CostEstimateRequestSchema, validationHook('json')), (c) => {
        const req = c.req.valid('json');
        const { scenario: written, errors } = parseScenario(req.content);
        if (!written)
          return apiError(c, 422, 'validation_failed', `the scenario has ${errors.length} problem(s); fix them first`);
        const chosen = resolveVariant(written, { id: req.variant });
        if (!chosen.ok) return apiError(c, 422, 'validation_failed', chosen.message);
        const resolved = deps.models.resolve(req.model);
        if (!resolved.ok) return apiError(c, 400, 'bad_request', resolved.message);
        // Said before the run: a prefill this provider cannot continue would stop it at once.
        const problem = prefillProblem(chosen.scenario, { kind: 'model', model: resolved.model, params: {} });
        return c.json(estimateDryRunCost(chosen.scenario, resolved.model.config, problem), 200);
      })
      // POST /api/dryruns/escalate: a model drafts the next pressure turn
      .post('/escalate', zValidator('json', EscalateRequestSchema, validationHook('json')), async (c) => {
        const req = c.req.valid('json');
        const { scenario: written, errors } = parseScenario(req.content);
        if (!written)
          return apiError(c, 422, 'validation_failed', `the scenario has ${errors.length} problem(s); fix them first`);
        if (written.autonomous)
          return apiError(
            c,
            422,
            'validation_failed',
            'an autonomous scenario has no user to draft pressure turns for: add events (role: automated) by hand',
          );
        const drafter = deps.models.forRole('escalation_drafter') ?? deps.models.forRole('simulated_user');
        if (!drafter)
          return apiError(
            c,
            400,
            'bad_request',
            `no model can draft turns: set roles.escalation_drafter in the models file. ${howToAddModel(deps)}`,
          );
        const run = req.dryRunId ? await findDryRunById(deps.db, req.dryRunId) : null;
        // The variant that transcript ran (or the first): the drafter reads expanded text, never placeholders.
        const chosen = resolveVariant(written, { values: run?.variantValues });
        const scenario = chosen.ok ? chosen.scenario : firstVariantOf(written);
        try {
          const draft = await draftEscalationTurn(drafter, scenario, run?.events ?? [], c.req.raw.signal);
          const body: EscalateResponse = {
            turn: { content: draft.content, tactic: draft.tactic, when: draft.when },
            rationale: draft.rationale,
            model: drafter.id,
          };
          return c.json(body, 200);
        } catch (e) {
          const err = classifyProviderError(e, { stoppedByUser: false, timeoutMs: 60_000 });
          return apiError(c, 502, 'bad_request', deps.redact(`the drafting model failed: ${err.message}`));
        }
      })
      // GET /api/dryruns/:id
      .get('/:id', zValidator('param', IdParam, validationHook('param')), async (c) => {
        const run = await findDryRunById(deps.db, c.req.valid('param').id);
        if (!run) return apiError(c, 404, 'not_found', 'no such dry-run');
        return c.json(run, 200);
      })
      // GET /api/dryruns/:id/export: the whole transcript as a JSON file, with its tool expectations scored
      // (each outcome and the partial-credit score, as a verdict stores them; null when the scenario states
      // none or its stored text no longer validates)
      .get('/:id/export', zValidator('param', IdParam, validationHook('param')), async (c) => {
        const run = await findDryRunById(deps.db, c.req.valid('param').id);
        if (!run) return apiError(c, 404, 'not_found', 'no such dry-run');
        const scenario = storedVariantScenario(run.scenarioContent, deps.corpus.taxonomy, run.variantValues);
        const toolExpectations = scenario ? scoreToolExpectations(scenario, run.events) : null;
        c.header('Content-Disposition', `attachment; filename="dryrun-${run.scenarioId}-${run.id.slice(0, 8)}.json"`);
        return c.json({ ...run, toolExpectations }, 200);
      })
      // POST /api/dryruns/:id/stop
      .post('/:id/stop', zValidator('param', IdParam, validationHook('param')), (c) => {
        if (!deps.sessions.stop(c.req.valid('param').id))
          return apiError(c, 404, 'not_found', 'that dry-run is not running');
        return c.json({ stopped: true }, 200);
      })
      // POST /api/dryruns/:id/reply: the author's reply, in play-the-model mode
      .post(
        '/:id/reply',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', HumanReplyRequestSchema, validationHook('json')),
        (c) => {
          if (!deps.sessions.reply(c.req.valid('param').id, c.req.valid('json').text)) {
            return apiError(c, 409, 'conflict', 'that dry-run is not waiting for a reply');
          }
          return c.json({ accepted: true }, 200);
        },
      )
      // DELETE /api/dryruns/:id
      .delete('/:id', zValidator('param', IdParam, validationHook('param')), async (c) => {
        if (!(await deleteDryRun(deps.db, c.req.valid('param').id)))
          return apiError(c, 404, 'not_found', 'no such finished dry-run');
        return c.json({ deleted: true }, 200);
      })
  );
}

function howToAddModel(deps: DryRunDeps): string {
  return `To add a model, write ${deps.modelsPath} (see README: Models) and put its key in the environment or in the secrets file.`;
}
