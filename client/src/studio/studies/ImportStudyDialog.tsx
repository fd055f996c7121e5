import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { navigate } from '../../app/navigation.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { studyKeys } from '../../api/queryKeys.ts';
import { importStudy } from './studies.api.ts';

/** Imports a realism-<study>.jsonl export: the study and its ratings, results as they were. */
export function ImportStudyDialog({ onClose }: { onClose(): void }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: async (chosen: File) => importStudy(await chosen.text()),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: studyKeys.all });
      onClose();
      navigate(`/studio/studies/${created.id}`);
    },
  });
  const { isPending: busy, error } = upload;

  return (
    <Dialog title="Import a realism study" onClose={onClose} testId="import-study-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (file && !busy) upload.mutate(file);
        }}
      >
        <p className="dialog-text">
          Choose a <code>realism-&lt;study&gt;.jsonl</code> file exported from Crucible (for example from{' '}
          <code>annotations/</code>). Its study and ratings are added to this instance, tied to the scenario versions
          they were made on.
        </p>
        <label className="form-field">
          <span>File</span>
          <input
            type="file"
            accept=".jsonl,application/x-ndjson,application/json,text/plain"
            required
            data-testid="import-file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <ErrorMessage error={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={!file || busy} data-testid="import-submit">
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
