import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ModelParams } from '../../../../schema/models.ts';
import type { TranscriptEvent } from '../../../../schema/transcript.ts';
import { dryRunKeys } from '../../api/queryKeys.ts';
import { sendHumanReply, stopDryRun, streamDryRun } from './dryrun.api.ts';
import { applyEvents, emptyTranscript, type TranscriptView } from '../../transcript/transcriptFold.ts';

export type LivePhase = 'idle' | 'connecting' | 'streaming' | 'ended';

export interface LiveRun {
  phase: LivePhase;
  view: TranscriptView;
  /** The dry-run's id, once the server has announced it. */
  id: string | null;
  model: string | null;
  /** The author pressed Stop (or Esc). */
  stopped: boolean;
  /** Why the run could not start or the stream broke (the partial transcript stays). */
  failure: unknown;
}

const idle: LiveRun = { phase: 'idle', view: emptyTranscript, id: null, model: null, stopped: false, failure: null };

/**
 * One live dry-run: starts the stream, applies its events once per animation frame (a burst of
 * tokens is one render), stops it (the fetch is aborted and the server told), and relays the
 * author's replies in play-the-model mode.
 */
export function useLiveDryRun(scenarioId: string) {
  const queryClient = useQueryClient();
  const [run, setRun] = useState<LiveRun>(idle);
  const controller = useRef<AbortController | null>(null);
  const idRef = useRef<string | null>(null);
  const pending = useRef<TranscriptEvent[]>([]);
  const frame = useRef<{ raf: number; timer: ReturnType<typeof setTimeout> } | null>(null);

  const flush = useCallback(() => {
    if (frame.current) {
      cancelAnimationFrame(frame.current.raf);
      clearTimeout(frame.current.timer);
      frame.current = null;
    }
    const events = pending.current;
    if (events.length === 0) return;
    pending.current = [];
    setRun((r) => ({
      ...r,
      phase: r.phase === 'connecting' ? 'streaming' : r.phase,
      view: applyEvents(r.view, events),
    }));
  }, []);

  const refreshList = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: dryRunKeys.list(scenarioId) });
  }, [queryClient, scenarioId]);

  const start = useCallback(
    (content: string, model: string, params?: ModelParams, variant?: string | null) => {
      if (controller.current) return;
      const ac = new AbortController();
      controller.current = ac;
      idRef.current = null;
      pending.current = [];
      setRun({ ...idle, phase: 'connecting', model });
      const onEvent = (e: TranscriptEvent) => {
        if (ac.signal.aborted) return;
        if (e.type === 'start') {
          idRef.current = e.dryRunId;
          setRun((r) => ({ ...r, id: e.dryRunId }));
        }
        pending.current.push(e);
        // A frame when visible; the timer keeps a background tab's transcript current too.
        frame.current ??= { raf: requestAnimationFrame(flush), timer: setTimeout(flush, 200) };
      };
      streamDryRun(
        { content, model, ...(params ? { params } : {}), ...(variant ? { variant } : {}) },
        onEvent,
        ac.signal,
      )
        .then(
          () => ({ failure: null }),
          (e: unknown) => ({ failure: ac.signal.aborted ? null : e }),
        )
        .then(({ failure }) => {
          if (controller.current !== ac) return; // stopped: stop() has settled the state already
          controller.current = null;
          flush();
          setRun((r) => ({
            ...r,
            phase: 'ended',
            failure:
              failure ?? (r.view.done ? null : r.id ? new Error('the stream ended before the run finished') : null),
          }));
          refreshList();
        });
    },
    [flush, refreshList],
  );

  const stop = useCallback(() => {
    const ac = controller.current;
    if (!ac) return;
    controller.current = null;
    const id = idRef.current;
    // Tell the server first (it aborts the model call), then drop the stream: both at once.
    const told = id ? stopDryRun(id).catch(() => undefined) : Promise.resolve();
    ac.abort();
    flush();
    setRun((r) => ({ ...r, phase: 'ended', stopped: true }));
    // The server stores the stopped run as its stream closes.
    void told.then(() => setTimeout(refreshList, 300));
  }, [flush, refreshList]);

  const reply = useCallback(async (text: string) => {
    const id = idRef.current;
    if (!id) throw new Error('the run has not started yet');
    await sendHumanReply(id, text);
  }, []);

  const clear = useCallback(() => {
    if (!controller.current) setRun(idle);
  }, []);

  // Leaving the page ends the stream, which stops the run on the server.
  useEffect(
    () => () => {
      controller.current?.abort();
      controller.current = null;
      if (frame.current) {
        cancelAnimationFrame(frame.current.raf);
        clearTimeout(frame.current.timer);
      }
    },
    [],
  );

  const running = run.phase === 'connecting' || run.phase === 'streaming';
  return { run, running, start, stop, reply, clear };
}
