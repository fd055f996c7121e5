import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { Link, useSearch } from 'wouter';
import type { JudgeVersion } from '../../../../schema/judge.ts';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { useMe } from '../../auth/useMe.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import frame from '../../components/PageFrame.module.css';
import marks from '../../components/judgeMarks.module.css';
import styles from './judges.module.css';
import { AnnotationStudiesPanel } from './AnnotationStudiesPanel.tsx';
import { JudgePromptView } from './JudgePromptView.tsx';
import { JudgeVersionDialog } from './JudgeVersionDialog.tsx';
import { judgeKeys } from '../../api/queryKeys.ts';
import { fetchPeopleNames, judgeVersionsQuery, promoteJudgeVersion, promotionNeedsReason } from './judges.api.ts';
import { PromoteReasonField } from '../../components/PromoteReasonField.tsx';

/** /studio/judges: every judge and its versions (who made each, when and why), and the annotation studies that calibrate them. */
export function JudgesPage() {
  useDocumentTitle('Judges');
  const me = useMe().data;
  const isAdmin = me?.role === 'admin';
  const versions = useQuery(judgeVersionsQuery());
  const people = useQuery({
    queryKey: judgeKeys.users,
    queryFn: fetchPeopleNames,
    enabled: isAdmin,
    staleTime: 60_000,
  });
  // `?new=judge` (the dry-run panel's "Make a judge" link) opens the new-judge dialog at once.
  const search = useSearch();
  const [dialog, setDialog] = useState<{ base: JudgeVersion | null } | null>(() =>
    new URLSearchParams(search).get('new') === 'judge' ? { base: null } : null,
  );

  const who = (id: string | null) =>
    id === null ? 'unknown' : id === me?.id ? 'you' : (people.data?.get(id) ?? `user ${id.slice(0, 8)}`);
  const groups = new Map<string, JudgeVersion[]>();
  for (const v of versions.data ?? []) groups.set(v.name, [...(groups.get(v.name) ?? []), v]);

  return (
    <main className={frame.page} data-testid="judges-page">
      <header className={frame.header}>
        <div>
          <h1>Judges</h1>
          <p className="muted">
            An LLM judge scores transcripts on the alignment scale (1–5, higher is better). A judge is never edited: a
            change makes a new version, and every score names the version that gave it. The default version judges when
            none is named.
          </p>
        </div>
        <div className={frame.actions}>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="new-judge"
            onClick={() => setDialog({ base: null })}
          >
            New judge
          </button>
        </div>
      </header>
      <ErrorMessage error={versions.error} />
      {versions.data?.length === 0 && (
        <div className={frame.empty}>
          <p>No judges yet.</p>
          <p>
            Create one with “New judge”: a model and a prompt; the default prompt renders the scenario’s rubric,
            criteria and the transcript.
          </p>
        </div>
      )}
      {[...groups].map(([name, list]) => (
        <JudgeGroup key={name} name={name} versions={list} who={who} onNewVersion={(base) => setDialog({ base })} />
      ))}
      {versions.data && <AnnotationStudiesPanel versions={versions.data} isAdmin={isAdmin} />}
      {dialog && <JudgeVersionDialog base={dialog.base} onClose={() => setDialog(null)} />}
    </main>
  );
}

interface JudgeGroupProps {
  name: string;
  versions: JudgeVersion[];
  who(id: string | null): string;
  onNewVersion(base: JudgeVersion): void;
}

/** One judge: its versions, newest first. */
function JudgeGroup({ name, versions, who, onNewVersion }: JudgeGroupProps) {
  const queryClient = useQueryClient();
  const [promptOf, setPromptOf] = useState<string | null>(null);
  const byId = new Map(versions.map((v) => [v.id, v]));
  const [promoteReason, setPromoteReason] = useState('');
  const promote = useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => promoteJudgeVersion(id, reason),
    onSuccess: () => {
      setPromoteReason('');
      return queryClient.invalidateQueries({ queryKey: judgeKeys.versions });
    },
  });
  /** The version being promoted, if any. */
  const busy = promote.isPending ? promote.variables.id : null;
  // A promotion the held-out comparison does not clear asks for a reason beside its version (the same guard
  // as the calibration page's); any other failure is shown above the table.
  const guardMessage = promotionNeedsReason(promote.error);
  const guarded = guardMessage !== null && promote.variables ? promote.variables.id : null;
  const error = guardMessage === null ? promote.error : null;

  return (
    <section className="panel" aria-label={`Judge ${name}`} data-testid="judge-group" data-name={name}>
      <div className="panel-head">
        <h2>{name}</h2>
        <span className="muted">
          {versions.length} version{versions.length === 1 ? '' : 's'}
        </span>
      </div>
      <ErrorMessage error={error} />
      <div className="table-scroll">
        <table className={`data-table ${styles.judgeTable}`}>
          <thead>
            <tr>
              <th>Version</th>
              <th>Model</th>
              <th>Pass at</th>
              <th>Samples</th>
              <th className="num">Few-shot</th>
              <th>Made</th>
              <th>Why</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {[...versions].reverse().map((v) => {
              const parent = v.parentId ? byId.get(v.parentId) : undefined;
              return (
                <Fragment key={v.id}>
                  <tr data-testid="judge-version" data-id={v.id} data-version={v.version}>
                    <td>
                      <span className="strong">v{v.version}</span>
                      {v.isDefault && (
                        <span className={`badge ${marks.badgeDefault}`} data-testid="default-badge">
                          default
                        </span>
                      )}
                      {v.parentId && (
                        <div className="muted">from {parent ? `v${parent.version}` : 'another judge'}</div>
                      )}
                    </td>
                    <td className="mono">{v.settings.model}</td>
                    <td>≥ {v.settings.passThreshold}</td>
                    <td>
                      {v.settings.samples}
                      {v.settings.samples > 1 ? ` × ${v.settings.combine}` : ''}
                      <span className="muted">
                        {' '}
                        · {v.settings.maxAttempts} tr{v.settings.maxAttempts === 1 ? 'y' : 'ies'} · t=
                        {v.settings.temperature}
                      </span>
                    </td>
                    <td className="num">{v.settings.fewShot.length}</td>
                    <td className="muted nowrap">
                      {who(v.createdBy)}, {new Date(v.createdAt).toLocaleString()}
                    </td>
                    <td className={styles.cellReason}>{v.reason}</td>
                    <td className={styles.rowActions}>
                      <button
                        type="button"
                        className="btn btn-sm"
                        aria-expanded={promptOf === v.id}
                        data-testid="show-prompt"
                        onClick={() => setPromptOf(promptOf === v.id ? null : v.id)}
                      >
                        {parent ? 'Prompt and changes' : 'Prompt'}
                      </button>
                      <Link href={`/studio/calibration?judge=${v.id}`} className="btn btn-sm">
                        Calibration
                      </Link>
                      <button
                        type="button"
                        className="btn btn-sm"
                        data-testid="new-version"
                        onClick={() => onNewVersion(v)}
                      >
                        New version
                      </button>
                      {!v.isDefault && (
                        <button
                          type="button"
                          className="btn btn-sm"
                          data-testid="promote"
                          disabled={busy !== null}
                          onClick={() => promote.mutate({ id: v.id, reason: '' })}
                        >
                          {busy === v.id ? 'Promoting…' : 'Promote'}
                        </button>
                      )}
                    </td>
                  </tr>
                  {guarded === v.id && (
                    <tr>
                      <td colSpan={8}>
                        <form
                          className={marks.promoteGuard}
                          data-testid="promote-guard"
                          onSubmit={(e) => {
                            e.preventDefault();
                            if (promoteReason.trim()) promote.mutate({ id: v.id, reason: promoteReason.trim() });
                          }}
                        >
                          <p data-testid="promote-guard-message">Not cleared for promotion: {guardMessage}</p>
                          <PromoteReasonField value={promoteReason} onChange={setPromoteReason} />
                          <button
                            type="submit"
                            className="btn btn-sm"
                            disabled={busy !== null || !promoteReason.trim()}
                            data-testid="promote-anyway"
                          >
                            Promote v{v.version} anyway
                          </button>
                        </form>
                      </td>
                    </tr>
                  )}
                  {promptOf === v.id && (
                    <tr className="judge-prompt-row">
                      <td colSpan={8}>
                        <JudgePromptView version={v} parent={parent} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
