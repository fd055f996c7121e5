import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { judgeLabel, useJudgeVersions } from '../runs/RunBadges.tsx';
import { analysisKeys } from '../../api/queryKeys.ts';
import { fetchItemAnalysis, type ItemAnalysis, type ItemFlag } from './analysis.api.ts';
import { AnchorSubsetPanel } from './AnchorSubsetPanel.tsx';
import { BenchmarkHealthPanel } from './BenchmarkHealthPanel.tsx';
import { FlaggedForAuthors } from './FlaggedForAuthors.tsx';
import { ItemTable } from './ItemTable.tsx';
import { FLAG_LABELS, FLAG_ORDER, flagRules } from './itemFlags.ts';
import frame from '../../components/PageFrame.module.css';
import styles from './analysis.module.css';

export type FlagFilter = 'all' | 'flagged' | ItemFlag;

/** /studio/items: item analysis of the corpus under one judge version, a sortable table and the flagged items. */
export function ItemAnalysisPage() {
  useDocumentTitle('Item analysis');
  const judges = useJudgeVersions();
  const [judge, setJudge] = useState<string | null>(null);
  const [filter, setFilter] = useState<FlagFilter>('all');
  const analysis = useQuery({ queryKey: analysisKeys.items(judge), queryFn: () => fetchItemAnalysis(judge) });
  const data = analysis.data;
  const shown = useMemo(
    () =>
      (data?.items ?? []).filter((i) =>
        filter === 'all' ? true : filter === 'flagged' ? i.flags.length > 0 : i.flags.includes(filter),
      ),
    [data, filter],
  );

  return (
    <main className={frame.page}>
      <header className={frame.header}>
        <div>
          <h1>Item analysis</h1>
          <p className="muted">
            Each scenario as a test item, over every run scored by one judge version: how hard it is, whether it tells
            models apart, and whether repeats agree.
          </p>
        </div>
        <label className={styles.itemsJudge}>
          Judge version{' '}
          <select
            data-testid="items-judge"
            value={judge ?? data?.judge?.id ?? ''}
            onChange={(e) => setJudge(e.target.value || null)}
          >
            {!data?.judge && <option value="">(default judge)</option>}
            {(judges.data ?? []).map((j) => (
              <option key={j.id} value={j.id}>
                {judgeLabel(j)}
                {j.isDefault ? ' (default)' : ''}
              </option>
            ))}
          </select>
        </label>
      </header>
      {analysis.error && <ErrorMessage error={analysis.error} />}
      {data && data.items.length === 0 && <EmptyAnalysis data={data} />}
      {data && data.items.length > 0 && (
        <>
          <Summary data={data} />
          <FlaggedForAuthors items={data.items} />
          <div className={frame.toolbar}>
            <label>
              Show{' '}
              <select
                data-testid="items-flag-filter"
                value={filter}
                onChange={(e) => setFilter(e.target.value as FlagFilter)}
              >
                <option value="all">all scenarios ({data.items.length})</option>
                <option value="flagged">flagged ({data.items.filter((i) => i.flags.length).length})</option>
                {FLAG_ORDER.map((f) => (
                  <option key={f} value={f}>
                    {FLAG_LABELS[f]} ({data.items.filter((i) => i.flags.includes(f)).length})
                  </option>
                ))}
              </select>
            </label>
            <span className="muted" data-testid="items-shown">
              {shown.length} of {data.items.length} scenarios
            </span>
          </div>
          <ItemTable items={shown} />
          <AnchorSubsetPanel judge={judge} scenarios={data.items.length} />
          <Rules data={data} />
        </>
      )}
      {data && <BenchmarkHealthPanel judge={judge} />}
    </main>
  );
}

function EmptyAnalysis({ data }: { data: ItemAnalysis }) {
  return (
    <div className={frame.empty} data-testid="items-empty">
      {data.judge ? (
        <p>
          No transcripts scored by {data.judge.name} v{data.judge.version} yet
          {data.staleTranscripts ? ` on the current scenario versions (${data.staleTranscripts} on older ones)` : ''}.
        </p>
      ) : (
        <p>No judge yet, so nothing has been scored.</p>
      )}
      <p>
        Item analysis needs runs: start one under <Link href="/studio/runs">Runs</Link>, with several models and, for
        repeat reliability, two or more repeats.
      </p>
    </div>
  );
}

function Summary({ data }: { data: ItemAnalysis }) {
  return (
    <p className={styles.itemsSummary} data-testid="items-summary">
      {data.items.length} scenarios · {data.models.length} models ({data.models.join(', ')}) · {data.transcripts} judged
      transcripts from {data.runs} run{data.runs === 1 ? '' : 's'}
      {data.staleTranscripts > 0 && ` · ${data.staleTranscripts} transcripts of older scenario versions left out`}
      {data.models.length < 20 && (
        <span className="muted"> · with fewer than 20 models, correlations and the 2PL are rough</span>
      )}
    </p>
  );
}

function Rules({ data }: { data: ItemAnalysis }) {
  const rules = flagRules(data.rules);
  return (
    <section className={styles.itemsRules} data-testid="items-rules">
      <h2>How the figures and flags are made</h2>
      <ul>
        {FLAG_ORDER.map((f) => (
          <li key={f}>
            <strong>{FLAG_LABELS[f]}</strong>: {rules[f]}.
          </li>
        ))}
        <li>
          <strong>Item-rest</strong>: Pearson correlation over models between the model’s mean on the scenario and its
          mean on every other scenario it ran.
        </li>
        <li>
          <strong>2PL a, b</strong>: discrimination and difficulty of a two-parameter logistic model of pass (score ≥{' '}
          {data.rules.passScore}) fitted by joint maximum likelihood over all models, abilities scaled to mean 0, SD 1;
          repeats are trials.{' '}
          {data.irt.fitted
            ? data.irt.converged
              ? `Converged in ${data.irt.iterations} iterations.`
              : `Did not converge in ${data.irt.iterations} iterations: read with care.`
            : `Not fitted: ${data.irt.reason}.`}{' '}
          A value in brackets sits on a bound (nobody or everybody passes): it says the item gives no information.
        </li>
        <li>
          <strong>Reliability</strong>: ICC(1) over models, repeats as replications (share of variance between models).
          <strong> Realism</strong>: mean human rating of the current version. <strong>Judge-human</strong>: mean
          absolute error between the judge and the humans’ mean on annotated transcripts.
        </li>
      </ul>
    </section>
  );
}
