import { Link } from 'wouter';
import type { RunSummary } from '../../../../schema/api/runs.ts';
import frame from '../../components/PageFrame.module.css';
import { RunStatusBadge } from './RunBadges.tsx';
import { exportUrl } from './runs.api.ts';
import { runScopeText } from './runScopeText.ts';
import { durationWords } from './scoreScale.ts';
import type { TaxonomyNames } from './taxonomyNames.ts';
import styles from './RunPage.module.css';

interface RunPageHeaderProps {
  run: RunSummary;
  taxonomy: TaxonomyNames;
  /** The judge version and dimension the exports are under (null: the server's default). */
  judgeVersionId: string | null;
  dimension: string | null;
}

/** A run's name, status and settings in one line, and its downloads. */
export function RunPageHeader({ run: r, taxonomy, judgeVersionId, dimension }: RunPageHeaderProps) {
  const s = r.settings;
  const took = r.startedAt && r.finishedAt ? (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000 : null;
  return (
    <header className={frame.header}>
      <div>
        <nav className={frame.breadcrumb} aria-label="Breadcrumb">
          <Link href="/studio/runs">Runs</Link>
          <span>/</span>
          <span className="mono">{r.id.slice(0, 8)}</span>
        </nav>
        <h1>
          {r.name} <RunStatusBadge status={r.status} />
        </h1>
        <p className={`muted ${styles.runMeta}`}>
          {s.models.length} model{s.models.length === 1 ? '' : 's'} · {runScopeText(s.filter, taxonomy)} · {s.repeats}{' '}
          repeat{s.repeats === 1 ? '' : 's'} · concurrency {s.concurrency} ({s.perProviderConcurrency} per provider) ·
          cache {s.useCache ? 'on' : 'off'} · created {new Date(r.createdAt).toLocaleString()}
          {took !== null && r.status === 'completed' ? ` · took ${durationWords(took)}` : ''}
        </p>
      </div>
      <RunExports runId={r.id} judgeVersionId={judgeVersionId} dimension={dimension} />
    </header>
  );
}

/** The run's results as JSON, CSV and a static page (under the judge and dimension shown), and its token use. */
function RunExports({
  runId,
  judgeVersionId,
  dimension,
}: { runId: string } & Omit<RunPageHeaderProps, 'run' | 'taxonomy'>) {
  return (
    <div className={styles.runExports} aria-label="Exports">
      <a
        className="btn"
        href={exportUrl(runId, 'export.json', judgeVersionId, dimension)}
        download
        data-testid="export-json"
      >
        JSON
      </a>
      <a
        className="btn"
        href={exportUrl(runId, 'export.csv', judgeVersionId, dimension)}
        download
        data-testid="export-csv"
      >
        CSV
      </a>
      <a
        className="btn"
        href={exportUrl(runId, 'leaderboard.html', judgeVersionId, dimension)}
        download
        data-testid="export-html"
        title="Download a static page with the leaderboard and its data, to host anywhere"
      >
        Static page (HTML)
      </a>
      <a
        className="btn"
        href={`/api/runs/${encodeURIComponent(runId)}/usage.csv`}
        download
        data-testid="export-usage"
        title="Download the tokens and cost of every model call: per target model, per judge model, and in total"
      >
        Tokens and cost (CSV)
      </a>
    </div>
  );
}
