import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ImportFormat, ImportReport, ImportRequest } from '../../../../schema/api/import.ts';
import { applyImport, previewImport } from '../../api/import.api.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';
import styles from './import.module.css';

const FORMATS: { id: ImportFormat; label: string }[] = [
  { id: 'openai-tools', label: 'OpenAI tool definitions (.json)' },
  { id: 'inspect', label: 'Inspect dataset (.json, .jsonl, .csv)' },
  { id: 'bloom', label: 'Bloom behaviors.json or ideation.json' },
  { id: 'petri', label: 'Petri seeds (.json list, or .md seeds)' },
  { id: 'promptfoo', label: 'promptfoo config (.yaml), with the files it refers to' },
];

/**
 * Import: upload files, preview every item the import would write (with what was dropped and the
 * placeholders left to write), choose, import. The server checks everything again on import and
 * writes all the chosen items or nothing.
 */
export function ImportDialog({ onClose }: { onClose(): void }) {
  const queryClient = useQueryClient();
  const [format, setFormat] = useState<ImportFormat>('inspect');
  const [files, setFiles] = useState<ImportRequest['files']>([]);
  const [category, setCategory] = useState('');
  const [behavior, setBehavior] = useState('');
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [done, setDone] = useState<ImportReport | null>(null);

  const request = (only?: string[]): ImportRequest => ({
    format,
    files,
    ...(category.trim() ? { category: category.trim() } : {}),
    ...(behavior.trim() ? { behavior: behavior.trim() } : {}),
    ...(only ? { only } : {}),
  });
  const previewing = useMutation({
    mutationFn: () => previewImport(request()),
    onSuccess: (report) => {
      setPreview(report);
      setChosen(
        new Set([
          ...report.scenarios.filter((s) => s.action === 'create').map((s) => s.id),
          ...report.behaviours.filter((b) => b.action === 'add').map((b) => b.id),
          ...report.transcripts.filter((t) => t.action === 'create').map((t) => t.id),
        ]),
      );
    },
  });
  const importing = useMutation({
    mutationFn: () => applyImport(request([...chosen])),
    onSuccess: (report) => {
      setDone(report);
      setPreview(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.scenarioLists });
      void queryClient.invalidateQueries({ queryKey: queryKeys.taxonomy, exact: true });
    },
  });
  const busy = previewing.isPending || importing.isPending;
  const error = previewing.error ?? importing.error;
  /** Changed input: the preview, the result and any error are of the old one. */
  const reset = () => {
    setPreview(null);
    setDone(null);
    previewing.reset();
    importing.reset();
  };
  const runPreview = () => {
    reset();
    previewing.mutate();
  };
  const runImport = () => importing.mutate();

  const toggle = (id: string) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Dialog title="Import" onClose={onClose} testId="import-dialog" wide>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy && files.length > 0) void runPreview();
        }}
      >
        <label className="form-field">
          <span>Format</span>
          <select
            data-testid="import-format"
            value={format}
            onChange={(e) => {
              setFormat(e.target.value as ImportFormat);
              reset();
            }}
          >
            {FORMATS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label className="form-field">
          <span>Files</span>
          <input
            type="file"
            multiple
            data-autofocus
            data-testid="import-files"
            onChange={(e) => {
              const list = [...(e.target.files ?? [])];
              reset();
              void Promise.all(list.map(async (f) => ({ name: f.name, content: await f.text() }))).then(setFiles);
            }}
          />
          <small>
            The first file is imported; the others are files it refers to (promptfoo) or more .md seeds (Petri).
          </small>
        </label>
        <label className="form-field">
          <span>Category for new behaviours (optional)</span>
          <input
            data-testid="import-category"
            value={category}
            placeholder={format}
            onChange={(e) => setCategory(e.target.value)}
          />
        </label>
        <label className="form-field">
          <span>Behaviour of the drafts (optional)</span>
          <input
            data-testid="import-behavior"
            value={behavior}
            placeholder="from the source"
            onChange={(e) => setBehavior(e.target.value)}
          />
        </label>
        <ErrorMessage error={error} />
        {preview && <ImportPreview report={preview} chosen={chosen} onToggle={toggle} />}
        {done && (
          <p role="status" data-testid="import-done">
            Imported {done.scenarios.filter((s) => s.action === 'create').length} draft(s) and{' '}
            {done.behaviours.filter((b) => b.action === 'add').length} behaviour(s)
            {done.transcripts.length > 0
              ? `, ${done.transcripts.filter((t) => t.action === 'create').length} transcript(s)`
              : ''}{' '}
            from {done.file}.
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            {done ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="btn" data-testid="import-preview" disabled={busy || files.length === 0}>
            Preview
          </button>
          {preview && (
            <button
              type="button"
              className="btn btn-primary"
              data-testid="import-apply"
              disabled={busy || chosen.size === 0}
              onClick={() => void runImport()}
            >
              Import {chosen.size} item(s)
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}

/** Every item of a preview, chosen or not, with what was dropped and what is left to write. */
function ImportPreview({
  report,
  chosen,
  onToggle,
}: {
  report: ImportReport;
  chosen: Set<string>;
  onToggle(id: string): void;
}) {
  return (
    <div className={styles.importPreview} data-testid="import-preview-list">
      <p>
        {report.file}: {report.scenarios.length} draft(s), {report.behaviours.length} behaviour(s)
        {report.transcripts.length > 0 ? `, ${report.transcripts.length} transcript(s)` : ''}
        {report.skipped.length > 0 ? `, ${report.skipped.length} skipped` : ''}
      </p>
      <ul>
        {report.behaviours.map((b) => (
          <li key={`b-${b.id}`} data-testid="import-item">
            <label>
              <input
                type="checkbox"
                disabled={b.action !== 'add'}
                checked={chosen.has(b.id)}
                onChange={() => onToggle(b.id)}
              />{' '}
              behaviour {b.category}/{b.id} <em>({b.action === 'add' ? 'new' : 'already in the taxonomy'})</em>
            </label>
          </li>
        ))}
        {report.scenarios.map((s) => (
          <li key={`s-${s.id}`} data-testid="import-item">
            <label>
              <input
                type="checkbox"
                disabled={s.action !== 'create'}
                checked={chosen.has(s.id)}
                onChange={() => onToggle(s.id)}
              />{' '}
              draft {s.id} <em>({s.action === 'create' ? 'new' : s.action})</em>
            </label>
            {s.reason && <p>{s.reason}</p>}
            {s.dropped.length > 0 && (
              <ul>
                {s.dropped.map((d, i) => (
                  <li key={i}>dropped: {d}</li>
                ))}
              </ul>
            )}
            {s.placeholders.length > 0 && <p>to write: {s.placeholders.join(', ')}</p>}
            <details>
              <summary>YAML</summary>
              <pre>{s.yaml}</pre>
            </details>
          </li>
        ))}
        {report.transcripts.map((t) => (
          <li key={`t-${t.id}`} data-testid="import-item">
            <label>
              <input
                type="checkbox"
                disabled={t.action !== 'create'}
                checked={chosen.has(t.id)}
                onChange={() => onToggle(t.id)}
              />{' '}
              transcript {t.item} ({t.model}, {t.events} events) <em>({t.action === 'create' ? 'new' : t.action})</em>
            </label>
            {t.reason && <p>{t.reason}</p>}
            {t.scores.length > 0 && (
              <p>
                scores:{' '}
                {t.scores
                  .map((x) => `${x.scorer} ${x.raw}${x.alignment === null ? '' : ` (alignment ${x.alignment})`}`)
                  .join(', ')}
              </p>
            )}
            {t.dropped.length > 0 && (
              <ul>
                {t.dropped.map((d, i) => (
                  <li key={i}>dropped: {d}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
        {report.skipped.map((s) => (
          <li key={`k-${s.item}`}>
            skipped {s.item}: {s.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
