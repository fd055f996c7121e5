import { useEffect, useRef, useState } from 'react';
import type { Diagnostic } from '../../../../schema/diagnostic.ts';
import { checkScenario } from '../../api/scenarios.api.ts';

const CHECK_DEBOUNCE_MS = 300;

/**
 * The server's diagnostics for the editor's text (POST /api/scenarios/check, debounced): the
 * schema plus what JSON Schema cannot say (taxonomy, duplicate ids, red flags naming unknown
 * tools, id vs file name). Starts from the diagnostics that came with the loaded document.
 */
export function useServerDiagnostics(
  id: string,
  text: string,
  loaded: { text: string; diagnostics: Diagnostic[] } | null,
) {
  const [state, setState] = useState<{ text: string; diagnostics: Diagnostic[] } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const latest = useRef(text);
  latest.current = text;

  useEffect(() => {
    if (loaded) setState({ text: loaded.text, diagnostics: loaded.diagnostics });
  }, [loaded]);

  useEffect(() => {
    if (!loaded || text === '' || state?.text === text) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      checkScenario(id, text, controller.signal)
        .then((diagnostics) => {
          if (latest.current === text) setState({ text, diagnostics });
          setFailed(null);
        })
        .catch((e: unknown) => {
          if (!controller.signal.aborted) setFailed(e instanceof Error ? e.message : String(e));
        });
    }, CHECK_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [id, text, loaded, state?.text]);

  return {
    diagnostics: state?.diagnostics ?? [],
    /** True while the diagnostics shown are for an older text. */
    pending: state !== null && state.text !== text,
    failed,
  };
}
