import { useCallback, useState } from 'react';
import type { EscalateResponse } from '../../../../schema/api/dryruns.ts';
import { draftEscalation } from './dryrun.api.ts';
import { insertTurnInEditor } from './editorInsertion.ts';
import type { DraftTurn } from './turnInsertion.ts';

export type Escalation =
  { status: 'pending' } | { status: 'failed'; message: string } | { status: 'drafted'; draft: EscalateResponse };

/** Escalate: a model drafts the next pressure turn; accepting it writes it into the editor. */
export function useEscalation(scenarioId: string) {
  const [state, setState] = useState<Escalation | null>(null);

  const draft = useCallback(async (content: string, dryRunId: string | undefined) => {
    setState({ status: 'pending' });
    try {
      setState({ status: 'drafted', draft: await draftEscalation(content, dryRunId) });
    } catch (e) {
      setState({ status: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  }, []);

  /** Adds the turn to the editor; the reason when it cannot. */
  const accept = useCallback(
    async (turn: DraftTurn): Promise<string | null> => {
      const result = await insertTurnInEditor(scenarioId, turn);
      if (!result.ok) return result.message;
      setState(null);
      return null;
    },
    [scenarioId],
  );

  const discard = useCallback(() => setState(null), []);
  return { state, draft, accept, discard };
}
