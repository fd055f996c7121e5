import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api, ApiError, readJson } from '../../api/client.ts';
import { judgeKeys } from '../../api/queryKeys.ts';
import { expectationsQuery, judgementsQuery, judgeVersionsQuery } from '../judges/judges.api.ts';
import { ExpectationOutcomes } from './ExpectationOutcomes.tsx';
import styles from './dryrun.module.css';

/**
 * The judge's verdicts on a stored transcript, and a button to ask the default judge now (or, with
 * no judge yet, a link to make one). Every verdict names its judge version and scale; a judge error
 * is shown as an error, never as a score.
 */
export function JudgeVerdict({ transcriptId }: { transcriptId: string }) {
  const queryClient = useQueryClient();
  const verdicts = useQuery(judgementsQuery(transcriptId));
  const versions = useQuery({ ...judgeVersionsQuery(), staleTime: 30_000 });
  // Scored without a judge: shown until a verdict carries them (with the caps it applied).
  const expectations = useQuery(expectationsQuery(transcriptId));
  const judgedExpectations = verdicts.data?.some((v) => v.toolExpectations) ?? false;
  const defaultJudge = versions.data?.find((v) => v.isDefault) ?? null;
  const judge = useMutation({
    mutationFn: async () => readJson(await api.judges.judge.$post({ json: { transcriptId } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: judgeKeys.judgements(transcriptId) }),
  });
  // No judge at all (or it was removed since the list was fetched): say where to make one.
  const noJudge =
    versions.data?.length === 0 || (judge.error instanceof ApiError && judge.error.envelope.code === 'not_found');
  return (
    <section className={styles.judgeVerdict} data-testid="judge-verdict">
      <div className={styles.judgeVerdictHead}>
        <strong>Judge</strong>
        <span className={styles.judgeVerdictScale}>alignment 1-5, higher is better, pass ≥ threshold</span>
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => judge.mutate()}
          disabled={judge.isPending || noJudge}
          data-testid="judge-now"
          title={defaultJudge ? `Judge with ${defaultJudge.name} v${defaultJudge.version}` : undefined}
        >
          {judge.isPending
            ? 'Judging…'
            : defaultJudge
              ? `Judge (${defaultJudge.name} v${defaultJudge.version})`
              : 'Judge with the default judge'}
        </button>
      </div>
      {noJudge ? (
        <p className={styles.judgeVerdictEmpty} data-testid="judge-none">
          No judge yet. <Link href="/studio/judges?new=judge">Make a judge</Link> (a model and a prompt), then judge
          this run here.
        </p>
      ) : (
        judge.error && <p className="form-error">{judge.error.message}</p>
      )}
      {verdicts.data?.length === 0 && !judge.isPending && !noJudge && (
        <p className={styles.judgeVerdictEmpty}>Not judged yet.</p>
      )}
      {expectations.data && !judgedExpectations && <ExpectationOutcomes report={expectations.data} />}
      {verdicts.data?.map((v) => (
        <div key={v.id} className="judge-verdict-row" data-testid="judge-verdict-row">
          {v.status === 'scored' ? (
            <>
              <span className={`badge ${v.passed ? 'status-ready' : 'badge-error'}`} data-testid="judge-score">
                {v.score} / 5 {v.passed ? 'pass' : 'fail'}
              </span>
              {v.redFlagged && (
                <span className="badge badge-error">red flag: scored 1 (judge said {v.judgeScore})</span>
              )}
              {v.elidedEntries > 0 && (
                <span
                  className="badge"
                  data-testid="judge-elided"
                  title="The transcript passed the judge model's context budget (judge_context_tokens in the models file)"
                >
                  judged on a shortened transcript: {v.elidedEntries} middle entries elided
                </span>
              )}
              <p className={styles.judgeVerdictRationale}>{v.rationale}</p>
              {v.dimensions.length > 1 && (
                <ul className={styles.judgeVerdictEvidence} data-testid="judge-dimensions">
                  {v.dimensions
                    .filter((d) => !d.primary)
                    .map((d) => (
                      <li key={d.id}>
                        <span className="mono">{d.id}</span>: {d.score} on {d.scale.min}–{d.scale.max} (
                        {d.direction === 'lower-better' ? 'lower' : 'higher'} is better)
                        {d.evidence ? ` · “${d.evidence}”` : ''}
                      </li>
                    ))}
                </ul>
              )}
              {v.evidence.length > 0 && (
                <ul className={styles.judgeVerdictEvidence}>
                  {v.evidence.map((e, i) => (
                    <li key={i}>
                      {e.kind === 'pass' ? 'Pass' : 'Fail'} criterion {e.index + 1}: “{e.quote}”
                    </li>
                  ))}
                </ul>
              )}
            </>
          ) : (
            <span className="form-error">Judge error: {v.error}</span>
          )}
          {v.toolExpectations && <ExpectationOutcomes report={v.toolExpectations} />}
          <span className={styles.judgeVerdictMeta}>
            judge version {v.judgeVersionId.slice(0, 8)} · {new Date(v.createdAt).toLocaleString()}
          </span>
        </div>
      ))}
    </section>
  );
}
