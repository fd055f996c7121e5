import type { ModelRegistry, ModelTransport } from '../models/model.registry.ts';

/**
 * Builds, once a server listens, what the first items of its first run would otherwise build
 * inside their model calls (issue 20 point 2: the start-up cost that makes small runs slow):
 * - Node's fetch classes (Headers, Response and the web streams under them), which Node loads at
 *   their first use and the AI SDK's provider calls use on every call: loading them cost 25-30 ms
 *   of CPU in the first wave of a fresh process;
 * - the provider client of every configured model that can be called, made the way runs make
 *   them (their transport) and kept by the registry, which runs then take instead of making one.
 * It does no model call and writes nothing; the caller runs it in the background after listening,
 * so a request never waits for it.
 */
export async function warmUpRunEngine(models: ModelRegistry, transport: ModelTransport): Promise<void> {
  const headers = new Headers({ 'content-type': 'application/json' });
  await new Response(new TextEncoder().encode('{}'), { status: 200, headers }).text();
  for (const model of models.list()) if (model.ready) models.resolve(model.id, transport);
}
