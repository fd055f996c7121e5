import { queryOptions } from '@tanstack/react-query';
import type {
  DryRun,
  DryRunSummary,
  EscalateResponse,
  ModelsResponse,
  StartDryRunRequest,
} from '../../../../schema/api/dryruns.ts';
import type { CostEstimate, CostEstimateRequest } from '../../../../schema/api/cost-estimate.ts';
import { TranscriptEventSchema, type TranscriptEvent } from '../../../../schema/transcript.ts';
import { api, readJson } from '../../api/client.ts';
import { dryRunKeys } from '../../api/queryKeys.ts';
import { sessionHeaders } from '../../api/session.ts';
import { readServerSentEvents } from './serverSentEvents.ts';

// One function per dry-run endpoint; each returns parsed JSON or throws ApiError.

export async function fetchModels(signal?: AbortSignal): Promise<ModelsResponse> {
  return readJson(await api.models.$get({}, { init: { signal } }));
}

/** The configured models (the dry-run picker, the generation page, the new-run dialog, a leaderboard's "add a model"). */
export const modelsQuery = () =>
  queryOptions({ queryKey: dryRunKeys.models, queryFn: ({ signal }) => fetchModels(signal) });

export async function fetchDryRuns(scenarioId: string, signal?: AbortSignal): Promise<DryRunSummary[]> {
  const body = await readJson(await api.dryruns.$get({ query: { scenarioId } }, { init: { signal } }));
  return body.dryRuns;
}

export async function fetchDryRun(id: string, signal?: AbortSignal): Promise<DryRun> {
  return readJson(await api.dryruns[':id'].$get({ param: { id } }, { init: { signal } }));
}

export async function deleteDryRun(id: string): Promise<void> {
  await readJson(await api.dryruns[':id'].$delete({ param: { id } }));
}

export async function stopDryRun(id: string): Promise<void> {
  await readJson(await api.dryruns[':id'].stop.$post({ param: { id } }));
}

export async function sendHumanReply(id: string, text: string): Promise<void> {
  await readJson(await api.dryruns[':id'].reply.$post({ param: { id }, json: { text } }));
}

export async function draftEscalation(content: string, dryRunId: string | undefined): Promise<EscalateResponse> {
  return readJson(await api.dryruns.escalate.$post({ json: dryRunId ? { content, dryRunId } : { content } }));
}

export async function fetchCostEstimate(request: CostEstimateRequest, signal?: AbortSignal): Promise<CostEstimate> {
  return readJson(await api.dryruns.estimate.$post({ json: request }, { init: { signal } }));
}

/** Where the browser downloads a dry-run as a JSON file. */
export const exportUrl = (id: string) => `/api/dryruns/${encodeURIComponent(id)}/export`;

/**
 * Starts a dry-run and calls `onEvent` for each transcript event as it arrives. A POST cannot
 * use EventSource, so this reads the server-sent events from the fetch body. Resolves when the
 * stream ends; rejects with ApiError when the server refuses the run, or AbortError on `signal`.
 */
export async function streamDryRun(
  request: StartDryRunRequest,
  onEvent: (event: TranscriptEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const res = await fetch('/api/dryruns', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...sessionHeaders() },
    body: JSON.stringify(request),
    signal,
  });
  if (!res.ok || !res.body) {
    await readJson(res); // throws the server's error envelope as ApiError
    throw new Error(`the server answered ${res.status} without a stream`);
  }
  for await (const { event, data } of readServerSentEvents(res.body, signal)) {
    if (event !== 'transcript') continue;
    const parsed = TranscriptEventSchema.safeParse(safeJson(data));
    if (parsed.success) onEvent(parsed.data);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
