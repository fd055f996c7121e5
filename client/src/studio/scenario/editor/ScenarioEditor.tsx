import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, type RefObject } from 'react';
import type { Diagnostic } from '../../../../../schema/diagnostic.ts';
import { queryKeys } from '../../../api/queryKeys.ts';
import { fetchScenarioJsonSchema } from '../../../api/taxonomy.api.ts';
import {
  SERVER_MARKER_OWNER,
  YAML_MARKER_OWNER,
  applyScenarioSchema,
  monaco,
  scenarioModelUri,
} from './monacoSetup.ts';
import styles from '../scenario.module.css';

/** What the page can ask of the editor. */
export interface EditorHandle {
  goTo(line: number, column: number): void;
  focus(): void;
}

interface ScenarioEditorProps {
  id: string;
  value: string;
  onChange(text: string): void;
  /** The server's diagnostics for the current text. */
  diagnostics: Diagnostic[];
  handleRef: RefObject<EditorHandle | null>;
}

/**
 * The Monaco YAML editor of one scenario: schema validation, hover docs and completion from
 * monaco-yaml, plus the server's corpus diagnostics as markers of their own. The model is the
 * source of truth while typing; a `value` from outside (load theirs) replaces it as one undoable edit.
 */
export default function ScenarioEditor({ id, value, onChange, diagnostics, handleRef }: ScenarioEditorProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const modelRef = useRef<monaco.editor.ITextModel | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const initialValue = useRef(value);
  const diagnosticsRef = useRef(diagnostics);
  diagnosticsRef.current = diagnostics;

  const schema = useQuery({
    queryKey: queryKeys.scenarioJsonSchema,
    queryFn: fetchScenarioJsonSchema,
    staleTime: 60_000,
  });
  useEffect(() => {
    if (schema.data) applyScenarioSchema(schema.data);
  }, [schema.data]);

  useEffect(() => {
    const uri = scenarioModelUri(id);
    monaco.editor.getModel(uri)?.dispose();
    const model = monaco.editor.createModel(initialValue.current, 'yaml', uri);
    modelRef.current = model;
    const editor = monaco.editor.create(hostRef.current!, {
      model,
      automaticLayout: true,
      fontSize: 13,
      lineHeight: 19,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      wordWrap: 'on',
      wrappingIndent: 'indent',
      tabSize: 2,
      insertSpaces: true,
      renderLineHighlight: 'line',
      fixedOverflowWidgets: true,
      quickSuggestions: { other: true, strings: true, comments: false },
      hover: { delay: 300 },
      stickyScroll: { enabled: false },
      padding: { top: 8 },
    });
    const changes = model.onDidChangeContent(() => onChangeRef.current(model.getValue()));
    const markers = monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((u) => u.toString() === uri.toString())) syncServerMarkers(model, diagnosticsRef.current, false);
    });
    handleRef.current = {
      goTo(line, column) {
        editor.setPosition({ lineNumber: line, column });
        editor.revealPositionInCenterIfOutsideViewport({ lineNumber: line, column });
        editor.focus();
      },
      focus: () => editor.focus(),
    };
    return () => {
      handleRef.current = null;
      changes.dispose();
      markers.dispose();
      editor.dispose();
      model.dispose();
      modelRef.current = null;
    };
  }, [id, handleRef]);

  useEffect(() => {
    const model = modelRef.current;
    if (model && model.getValue() !== value) {
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: value }], () => null);
    }
  }, [value]);

  useEffect(() => {
    if (modelRef.current) syncServerMarkers(modelRef.current, diagnostics, true);
  }, [diagnostics]);

  return <div ref={hostRef} className={styles.monacoHost} data-testid="scenario-editor" />;
}

const lastYamlLines = new WeakMap<monaco.editor.ITextModel, string>();

/**
 * Shows the server's diagnostics as markers. yaml-language-server reports every schema
 * violation as a mere warning, but the server refuses to save them, so the server's errors are
 * always shown too. Only where monaco-yaml already shows an error (a YAML syntax error) is the
 * server's diagnostic left out, so that one broken line gets one squiggle.
 */
function syncServerMarkers(model: monaco.editor.ITextModel, diagnostics: Diagnostic[], force: boolean) {
  if (model.isDisposed()) return;
  const yamlLines = new Set(
    monaco.editor
      .getModelMarkers({ resource: model.uri, owner: YAML_MARKER_OWNER })
      .filter((m) => m.severity === monaco.MarkerSeverity.Error)
      .map((m) => m.startLineNumber),
  );
  const signature = [...yamlLines].sort().join(',');
  // Our own setModelMarkers fires onDidChangeMarkers too: only react to monaco-yaml's changes.
  if (!force && lastYamlLines.get(model) === signature) return;
  lastYamlLines.set(model, signature);
  const lines = model.getLineCount();
  monaco.editor.setModelMarkers(
    model,
    SERVER_MARKER_OWNER,
    diagnostics
      .filter((d) => d.source === 'corpus' || !yamlLines.has(d.line))
      .map((d) => {
        const line = Math.min(d.line, lines);
        const endLine = Math.min(Math.max(d.endLine, line), lines);
        const endColumn = d.endLine === d.line && d.endColumn <= d.column ? model.getLineMaxColumn(line) : d.endColumn;
        return {
          severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
          message: d.message,
          source: `crucible ${d.source}`,
          startLineNumber: line,
          startColumn: d.column,
          endLineNumber: endLine,
          endColumn,
        };
      }),
  );
}
