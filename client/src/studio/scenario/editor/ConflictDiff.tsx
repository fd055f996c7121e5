import { useEffect, useRef } from 'react';
import { monaco } from './monacoSetup.ts';
import styles from '../scenario.module.css';

let modelCounter = 0;

/** Two versions side by side (Monaco's diff editor): theirs on the left, yours on the right. */
export default function ConflictDiff({ theirs, mine }: { theirs: string; mine: string }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const models = useRef<{ original: monaco.editor.ITextModel; modified: monaco.editor.ITextModel } | null>(null);
  const initial = useRef({ theirs, mine });

  useEffect(() => {
    const n = ++modelCounter;
    const original = monaco.editor.createModel(
      initial.current.theirs,
      'yaml',
      monaco.Uri.parse(`inmemory://conflict/${n}/theirs`),
    );
    const modified = monaco.editor.createModel(
      initial.current.mine,
      'yaml',
      monaco.Uri.parse(`inmemory://conflict/${n}/mine`),
    );
    models.current = { original, modified };
    const diff = monaco.editor.createDiffEditor(hostRef.current!, {
      automaticLayout: true,
      readOnly: true,
      originalEditable: false,
      renderSideBySide: true,
      useInlineViewWhenSpaceIsLimited: false,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      wordWrap: 'on',
      fontSize: 13,
      renderOverviewRuler: true,
    });
    diff.setModel({ original, modified });
    return () => {
      diff.dispose();
      original.dispose();
      modified.dispose();
      models.current = null;
    };
  }, []);

  useEffect(() => {
    const m = models.current;
    if (!m) return;
    if (m.original.getValue() !== theirs) m.original.setValue(theirs);
    if (m.modified.getValue() !== mine) m.modified.setValue(mine);
  }, [theirs, mine]);

  return <div ref={hostRef} className={styles.diffHost} data-testid="conflict-diff" />;
}
