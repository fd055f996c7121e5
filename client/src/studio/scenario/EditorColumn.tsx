import { lazy, Suspense, type RefObject } from 'react';
import type { Diagnostic } from '../../../../schema/diagnostic.ts';
import type { EditorHandle } from './editor/ScenarioEditor.tsx';
import { ProblemsPanel } from './ProblemsPanel.tsx';
import styles from './scenario.module.css';

// Monaco and monaco-yaml load only here, in their own chunk.
const ScenarioEditor = lazy(() => import('./editor/ScenarioEditor.tsx'));

interface EditorColumnProps {
  id: string;
  text: string;
  onChange(text: string): void;
  /** The live check's diagnostics, marked in the editor. */
  diagnostics: Diagnostic[];
  /** What the problems panel lists: the live diagnostics and a refused save's problems. */
  problems: Diagnostic[];
  pending: boolean;
  failed: string | null;
  editorHandle: RefObject<EditorHandle | null>;
}

/** The YAML editor and, under it, the problems found in its text (a click goes to one). */
export function EditorColumn({
  id,
  text,
  onChange,
  diagnostics,
  problems,
  pending,
  failed,
  editorHandle,
}: EditorColumnProps) {
  return (
    <div className={styles.editorColumn}>
      <div className={styles.editorFrame}>
        <Suspense fallback={<div className={`${styles.monacoHost} loading-block`}>Loading the editor…</div>}>
          <ScenarioEditor id={id} value={text} onChange={onChange} diagnostics={diagnostics} handleRef={editorHandle} />
        </Suspense>
      </div>
      <ProblemsPanel
        diagnostics={problems}
        pending={pending}
        failed={failed}
        onSelect={(d) => editorHandle.current?.goTo(d.line, d.column)}
      />
    </div>
  );
}
