import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { useMe } from '../../auth/useMe.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { CreateStudyDialog } from './CreateStudyDialog.tsx';
import { ImportStudyDialog } from './ImportStudyDialog.tsx';
import { studyKeys } from '../../api/queryKeys.ts';
import { fetchStudies } from './studies.api.ts';
import frame from '../../components/PageFrame.module.css';
import styles from './studies.module.css';

/** /studio/studies: every realism study with its progress; admins open new ones or import one. */
export function StudiesPage() {
  useDocumentTitle('Studies');
  const isAdmin = useMe().data?.role === 'admin';
  const studies = useQuery({ queryKey: studyKeys.list, queryFn: fetchStudies });
  const [dialog, setDialog] = useState<'create' | 'import' | null>(null);

  return (
    <main className={frame.page}>
      <header className={frame.header}>
        <div>
          <h1>Realism studies</h1>
          <p className="muted">
            Human raters judge how realistic each scenario is; a scenario that meets its study's rule counts as
            validated.
          </p>
        </div>
        {isAdmin && (
          <div className={frame.actions}>
            <button type="button" className="btn" data-testid="import-study" onClick={() => setDialog('import')}>
              Import JSONL
            </button>
            <button
              type="button"
              className="btn btn-primary"
              data-testid="new-study"
              onClick={() => setDialog('create')}
            >
              New study
            </button>
          </div>
        )}
      </header>
      {studies.error && <ErrorMessage error={studies.error} />}
      {studies.data && studies.data.length === 0 && (
        <div className={frame.empty}>
          <p>No studies yet.</p>
          {isAdmin ? <p>Open one on a set of scenarios with “New study”.</p> : <p>An admin opens studies.</p>}
        </div>
      )}
      {studies.data && studies.data.length > 0 && (
        <table className="data-table" data-testid="studies-table">
          <thead>
            <tr>
              <th>Study</th>
              <th>Status</th>
              <th className="num">Scenarios</th>
              <th className="num">Ratings</th>
              <th className="num">Validated</th>
              <th>Rule</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {studies.data.map((s) => (
              <tr key={s.id} data-testid="study-row" data-id={s.id}>
                <td>
                  <Link href={`/studio/studies/${s.id}`} className="strong">
                    {s.name}
                  </Link>
                  <div className="mono muted">{s.id}</div>
                </td>
                <td>
                  <StudyStatus status={s.status} />
                </td>
                <td className="num">{s.items}</td>
                <td className="num">
                  {s.ratings}
                  <span className="muted"> / {s.items * s.ratersPerItem}</span>
                </td>
                <td className="num">
                  {s.validated}
                  <span className="muted"> / {s.items}</span>
                </td>
                <td className="muted">
                  ≥ {s.minRatings} ratings, mean ≥ {s.minMean}
                </td>
                <td className="muted">{new Date(s.createdAt).toLocaleDateString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dialog === 'create' && <CreateStudyDialog onClose={() => setDialog(null)} />}
      {dialog === 'import' && <ImportStudyDialog onClose={() => setDialog(null)} />}
    </main>
  );
}

export function StudyStatus({ status }: { status: 'open' | 'closed' }) {
  return (
    <span
      className={status === 'open' ? `badge ${styles.studyOpen}` : `badge ${styles.studyClosed}`}
      data-testid="study-status"
    >
      {status}
    </span>
  );
}
