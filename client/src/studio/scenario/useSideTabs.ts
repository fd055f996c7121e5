import { useState } from 'react';
import { useRunShortcut } from '../dryrun/useRunShortcut.ts';

/**
 * The scenario page's side column: the preview, or the dry-run panel (mounted on first use, then
 * kept so a run goes on behind the preview). Ctrl/Cmd+Enter opens the dry-run panel and asks it
 * to run (`runRequest` counts the asks). `variant` is the one the preview shows: a dry-run runs
 * the same one (null: the scenario has no variables).
 */
export function useSideTabs() {
  const [tab, setTab] = useState<'preview' | 'dryrun'>('preview');
  const [variant, setVariant] = useState<string | null>(null);
  const [dryRunOpened, setDryRunOpened] = useState(false);
  const [runRequest, setRunRequest] = useState(0);
  const showDryRun = () => {
    setTab('dryrun');
    setDryRunOpened(true);
  };
  useRunShortcut(() => {
    showDryRun();
    setRunRequest((n) => n + 1);
  });
  return { tab, showPreview: () => setTab('preview'), showDryRun, dryRunOpened, runRequest, variant, setVariant };
}

export type SideTabs = ReturnType<typeof useSideTabs>;
