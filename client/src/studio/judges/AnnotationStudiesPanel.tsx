import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import type { JudgeVersion } from '../../../../schema/judge.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { InviteLinksForm } from '../studies/InviteLinksForm.tsx';
import { CreateAnnotationStudyDialog } from './CreateAnnotationStudyDialog.tsx';
import { judgeKeys } from '../../api/queryKeys.ts';
import { agreementExportUrl, fetchAnnotationStudies } from './judges.api.ts';
import marks from '../../components/judgeMarks.module.css';
import styles from './judges.module.css';

/** Annotation studies: their progress, the agreement export, invite links, and the way to calibration. */
export function AnnotationStudiesPanel({ versions, isAdmin }: { versions: JudgeVersion[]; isAdmin: boolean }) {
  const studies = useQuery({
    queryKey: judgeKeys.annotationStudies,
    queryFn: fetchAnnotationStudies,
    refetchInterval: 30_000,
  });
  const [creating, setCreating] = useState(false);
  const [inviting, setInviting] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const versionName = (id: string) => {
    const v = versions.find((x) => x.id === id);
    return v ? `${v.name} v${v.version}` : id.slice(0, 8);
  };

  return (
    <section className="panel" aria-labelledby="an-studies-title" data-testid="an-studies">
      <div className="panel-head">
        <h2 id="an-studies-title">Annotation studies</h2>
        {isAdmin && (
          <button
            type="button"
            className="btn btn-sm btn-primary"
            data-testid="new-an-study"
            disabled={versions.length === 0}
            onClick={() => setCreating(true)}
          >
            New annotation study
          </button>
        )}
      </div>
      <p className="muted panel-note">
        Humans give their own verdicts on a sample of judged transcripts; calibration compares the judge with them.
      </p>
      {created && (
        <p className={marks.noticeOk} role="status" data-testid="an-study-created">
          {created}
        </p>
      )}
      <ErrorMessage error={studies.error} />
      {studies.data?.length === 0 && (
        <p className="muted">
          No annotation studies yet. {isAdmin ? 'Judge some dry-runs, then create one.' : 'An admin creates them.'}
        </p>
      )}
      {studies.data && studies.data.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th>Study</th>
              <th>Sampled by</th>
              <th className="num">Transcripts</th>
              <th className="num">Verdicts</th>
              <th>Judge shown after</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {studies.data.map((s) => (
              <StudyRow
                key={s.id}
                study={s}
                judge={versionName(s.judgeVersionId)}
                isAdmin={isAdmin}
                inviting={inviting === s.id}
                onInvite={() => setInviting(inviting === s.id ? null : s.id)}
              />
            ))}
          </tbody>
        </table>
      )}
      {creating && (
        <CreateAnnotationStudyDialog
          versions={versions}
          onClose={() => setCreating(false)}
          onCreated={(s) => {
            setCreated(
              `Created with ${s.items} transcript${s.items === 1 ? '' : 's'}: ${s.byStratum['clear-pass'] ?? 0} clear pass, ${s.byStratum['clear-fail'] ?? 0} clear fail, ${s.byStratum.borderline ?? 0} borderline.`,
            );
            setInviting(s.id);
          }}
        />
      )}
    </section>
  );
}

type Study = Awaited<ReturnType<typeof fetchAnnotationStudies>>[number];

function StudyRow({
  study,
  judge,
  isAdmin,
  inviting,
  onInvite,
}: {
  study: Study;
  judge: string;
  isAdmin: boolean;
  inviting: boolean;
  onInvite(): void;
}) {
  return (
    <>
      <tr data-testid="an-study-row" data-id={study.id}>
        <td>
          <span className="strong">{study.name}</span>
          <div className="mono muted">{study.id}</div>
        </td>
        <td>{judge}</td>
        <td className="num">{study.items}</td>
        <td className="num">
          {study.annotations}
          <span className="muted"> / {study.items * study.ratersPerItem}</span>
        </td>
        <td>{study.revealJudge ? 'yes' : 'no'}</td>
        <td className="muted">{new Date(study.createdAt).toLocaleDateString()}</td>
        <td className={styles.rowActions}>
          <Link
            href={`/studio/calibration?study=${study.id}&judge=${study.judgeVersionId}`}
            className="btn btn-sm"
            data-testid="an-study-calibrate"
          >
            Calibration
          </Link>
          <a className="btn btn-sm" href={agreementExportUrl(study.id)} download data-testid="an-study-export">
            Export JSONL
          </a>
          {isAdmin && (
            <button
              type="button"
              className="btn btn-sm"
              aria-expanded={inviting}
              data-testid="an-study-invite"
              onClick={onInvite}
            >
              Invite annotators
            </button>
          )}
        </td>
      </tr>
      {inviting && (
        <tr className={styles.inviteRow}>
          <td colSpan={7}>
            <InviteLinks studyId={study.id} />
          </td>
        </tr>
      )}
    </>
  );
}

/** Invite links for annotators of one study (each link good for a number of people, shown once). */
function InviteLinks({ studyId }: { studyId: string }) {
  return (
    <div className={styles.inviteBox} data-testid="an-invites">
      <InviteLinksForm
        studyId={studyId}
        who="annotator"
        initialUses={3}
        testIds={{ uses: 'an-invite-uses', create: 'an-invite-create', url: 'an-invite-url' }}
      />
      <p className="muted">Each link is shown once: copy it now. Annotators open it, give a name, and start.</p>
    </div>
  );
}
